package org.csphub.geography;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeographyTest {

    private static final Geography GEOGRAPHY = Geography.defaults();
    private static final LocalDate BEFORE_2021 = LocalDate.of(2020, 9, 30);
    private static final LocalDate AFTER_2021 = LocalDate.of(2021, 9, 30);

    @Test
    void shouldShipTheSixDistrictsOfCambridgeshireAndPeterborough() {
        assertThat(GEOGRAPHY.districts()).extracting(District::code).containsExactlyInAnyOrder(
                "E07000008", "E07000009", "E07000010", "E07000011", "E07000012", "E06000031");
        assertThat(GEOGRAPHY.district("E06000031")).contains(new District("E06000031", "Peterborough"));
    }

    @Test
    void shouldShipCambridgesFourteenWardsInBothBoundarySets() {
        final District cambridge = GEOGRAPHY.district("E07000008").orElseThrow();
        assertThat(GEOGRAPHY.wards(cambridge, BEFORE_2021)).hasSize(14).extracting(Ward::code)
                .allMatch(code -> code.compareTo("E05002702") >= 0 && code.compareTo("E05002715") <= 0);
        assertThat(GEOGRAPHY.wards(cambridge, AFTER_2021)).hasSize(14).extracting(Ward::code)
                .allMatch(code -> code.compareTo("E05013050") >= 0 && code.compareTo("E05013063") <= 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Kings Hedges", "King's Hedges", "KINGS HEDGES", "king\u2019s hedges", "Kings-Hedges",
        "Kings Hedges Ward"})
    void shouldMatchWardNamesWithoutRegardToCaseOrPunctuation(final String name) {
        assertThat(GEOGRAPHY.wardByName(name, BEFORE_2021)).map(Ward::code).contains("E05002708");
        assertThat(GEOGRAPHY.wardByName(name, AFTER_2021)).map(Ward::code).contains("E05013056");
    }

    @Test
    void shouldResolveAWardNameToTheCodeInForceOnTheDate() {
        assertThat(GEOGRAPHY.wardByName("Market", LocalDate.of(2021, 5, 5))).map(Ward::code).contains("E05002709");
        assertThat(GEOGRAPHY.wardByName("Market", LocalDate.of(2021, 5, 6))).map(Ward::code).contains("E05013057");
    }

    @Test
    void shouldMatchAmpersandAndAnd() {
        final Ward ward = GEOGRAPHY.wards(LocalDate.of(2020, 1, 1)).stream()
                .filter(w -> w.name().contains("&")).findFirst().orElseThrow();
        assertThat(GEOGRAPHY.wardByName(ward.name().replace("&", "and"), LocalDate.of(2020, 1, 1)))
                .contains(ward);
    }

    @Test
    void shouldResolveALsoaToItsWard() {
        assertThat(GEOGRAPHY.wardByLsoa("E01017984", BEFORE_2021)).map(Ward::name).contains("Newnham");
        assertThat(GEOGRAPHY.knowsLsoa("e01017984")).isTrue();
        assertThat(GEOGRAPHY.knowsLsoa("E01099999")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cambridge City", "City", "cambridge", "E07000008"})
    void shouldResolveCambridgeByNameAliasOrCode(final String name) {
        assertThat(GEOGRAPHY.district(name)).map(District::code).contains("E07000008");
    }

    @Test
    void shouldResolveTheOtherDistrictAliases() {
        assertThat(GEOGRAPHY.district("South Cambs")).map(District::code).contains("E07000012");
        assertThat(GEOGRAPHY.district("East Cambs")).map(District::code).contains("E07000009");
        assertThat(GEOGRAPHY.district("Hunts")).map(District::code).contains("E07000011");
        assertThat(GEOGRAPHY.district("Pboro")).map(District::code).contains("E06000031");
        assertThat(GEOGRAPHY.district("P'boro")).map(District::code).contains("E06000031");
        assertThat(GEOGRAPHY.district("Cambs")).isEmpty();
    }

    @Test
    void shouldSuggestTheNearestWardNames() {
        assertThat(GEOGRAPHY.nearestWardNames("Markit", BEFORE_2021, 1)).containsExactly("Market");
        assertThat(GEOGRAPHY.nearestWardNames("Arbery", BEFORE_2021, 3)).first().isEqualTo("Arbury");
    }

    @Test
    void shouldCompareAtMostAHundredCharactersOfAHugeName() {
        final String huge = "King's Hedges " + "x".repeat(1 << 20);

        assertThat(Geography.compared(huge)).isEqualTo("kings hedges " + "x".repeat(Geography.COMPARED_LENGTH - 13));
        assertThat(Geography.compared("King's Hedges")).isEqualTo("kings hedges");
    }

    @Test
    void shouldSuggestTheNearestNamesForAHugeUnknownName() {
        final String huge = "Kings Hedges " + "x".repeat(1 << 20);

        assertThat(GEOGRAPHY.wardByName(huge, BEFORE_2021)).isEmpty();
        assertThat(GEOGRAPHY.nearestWardNames(huge, BEFORE_2021, 3))
                .containsExactly("King's Hedges", "St Neots Priory Park & Little Paxton", "Dogsthorpe");
        assertThat(GEOGRAPHY.district("Hunts " + "x".repeat(1 << 20))).isEmpty();
        assertThat(GEOGRAPHY.nearestDistrictNames("Hunts " + "x".repeat(1 << 20), 3))
                .containsExactly("Huntingdonshire", "East Cambridgeshire", "South Cambridgeshire");
    }

    @Test
    void shouldLoadAUsersLookupInTheOnsShape(@TempDir final Path dir) throws IOException {
        final Path wards = dir.resolve("wards.csv");
        Files.writeString(wards, "FID,WD22CD,WD22NM,LAD22CD,LAD22NM\n1,E05000001,North Ward,E07000999,Somewhere\n"
                + "2,E05000002,South & East,E07000999,Somewhere\n");

        final Geography own = Geography.load("csp-x", "Somewhere CSP",
                List.of(new Geography.WardSet(wards, LocalDate.MIN, LocalDate.MAX)), Optional.empty(), Optional.empty());

        assertThat(own.wardByName("south and east", BEFORE_2021)).map(Ward::code).contains("E05000002");
        assertThat(own.district("Somewhere")).contains(new District("E07000999", "Somewhere"));
        assertThat(own.cspName()).isEqualTo("Somewhere CSP");
    }

    @Test
    void shouldNameTheMissingColumnOfABadLookup(@TempDir final Path dir) throws IOException {
        final Path wards = dir.resolve("wards.csv");
        Files.writeString(wards, "code,name\nE05000001,North\n");

        assertThatThrownBy(() -> Geography.load("x", "x", List.of(new Geography.WardSet(wards, LocalDate.MIN,
                LocalDate.MAX)), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(wards.toString())
                .hasMessageContaining("WDyyCD")
                .hasMessageContaining("[code, name]");
    }
}
