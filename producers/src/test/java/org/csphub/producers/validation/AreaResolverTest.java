package org.csphub.producers.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.csphub.geography.Geography;
import org.junit.jupiter.api.Test;

class AreaResolverTest {

    private static final AreaResolver AREAS = new AreaResolver(Geography.defaults());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2021-09-01T11:00:00Z"), ZoneOffset.UTC);
    private static final Optional<LocalDate> ON = Optional.of(LocalDate.of(2020, 7, 1));
    /** Far longer than any name: what a fuzzed or damaged export can hold in one cell. */
    private static final String MEGABYTE_OF_X = "x".repeat(1 << 20);

    private static RowFields row(final String column, final String value, final Problems problems) {
        return new RowFields(new HeaderLayout(1, Map.of(column, 0), Set.of(), Set.of()), List.of(value), problems,
                CLOCK);
    }

    @Test
    void shouldLookUpTheNearestNamesOfAsManyUnknownNamesAsTheExportsBudgetAllowsAndAnyKnownOneAfter() {
        final AreaResolver areas = new AreaResolver(Geography.defaults());
        final SuggestionBudget budget = new SuggestionBudget(2);
        final List<String> messages = new ArrayList<>();
        for (final String name : List.of("Markett", "Abbbey", "Zzyzx", "Markett")) {
            final Problems problems = new Problems("asb.csv", 2);
            areas.wardOrLsoa(new RowFields(new HeaderLayout(1, Map.of(AreaResolver.WARD, 0), Set.of(), Set.of()),
                    List.of(name), problems, CLOCK, budget), ON);
            messages.add(problems.reasons().get(0).getMessage());
        }

        assertThat(messages).containsExactly(
                "asb.csv line 2, column 1 (ward): 'Markett' is not a ward in force on 2020-07-01; nearest: Market, "
                        + "Manea, Park",
                "asb.csv line 2, column 1 (ward): 'Abbbey' is not a ward in force on 2020-07-01; nearest: Abbey, "
                        + "Arbury, Ramsey",
                "asb.csv line 2, column 1 (ward): 'Zzyzx' is not a ward in force on 2020-07-01; the nearest names "
                        + "were not looked up (the export has more than 2 unknown names: is it the right column?)",
                "asb.csv line 2, column 1 (ward): 'Markett' is not a ward in force on 2020-07-01; nearest: Market, "
                        + "Manea, Park");
    }

    @Test
    void shouldRejectAHugeUnknownWardNameSuggestingTheNearestNames() {
        final String name = "Kings Hedges " + MEGABYTE_OF_X;
        final Problems problems = new Problems("asb.csv", 2);

        assertThat(AREAS.wardOrLsoa(row(AreaResolver.WARD, name, problems), ON)).isEmpty();

        // the message keeps the start of the name and its whole end, which names the suggestions
        assertThat(problems.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo("UNKNOWN_WARD");
            assertThat(reason.getMessage()).startsWith("asb.csv line 2, column 1 (ward): 'Kings Hedges xxx")
                    .endsWith("xxx' is not a ward in force on 2020-07-01; nearest: King's Hedges, "
                            + "St Neots Priory Park & Little Paxton, Dogsthorpe")
                    .hasSizeLessThanOrEqualTo(Problems.MAX_MESSAGE);
        });
    }

    @Test
    void shouldRejectAHugeUnknownDistrictSuggestingTheNearestNames() {
        final String name = "Hunts " + MEGABYTE_OF_X;
        final Problems problems = new Problems("idva.csv", 3);

        assertThat(AREAS.district(row(AreaResolver.DISTRICT, name, problems))).isEmpty();

        assertThat(problems.reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo("UNKNOWN_DISTRICT");
            assertThat(reason.getMessage()).startsWith("idva.csv line 3, column 1 (district): 'Hunts xxx")
                    .endsWith("xxx' is not a district of Cambridgeshire and Peterborough; nearest: Huntingdonshire, "
                            + "East Cambridgeshire, South Cambridgeshire (an ONS code, a name or an alias such as "
                            + "South Cambs or Hunts)")
                    .hasSizeLessThanOrEqualTo(Problems.MAX_MESSAGE);
        });
    }

    @Test
    void shouldStillResolveANameThatIsOnlyPaddedWithPunctuation() {
        final Problems problems = new Problems("asb.csv", 2);

        assertThat(AREAS.wardOrLsoa(row(AreaResolver.WARD, "Kings" + " -".repeat(100) + "Hedges", problems), ON)
                .map(area -> area.getWardName())).contains("King's Hedges");
        assertThat(problems.reasons()).isEmpty();
    }
}
