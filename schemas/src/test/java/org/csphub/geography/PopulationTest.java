package org.csphub.geography;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.csphub.metrics.AreaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PopulationTest {

    private static final Geography GEOGRAPHY = Geography.defaults();
    private static final String WARDS = "WD22CD,WD22NM,LAD22CD,LAD22NM\nE05000001,North,E07000999,Somewhere\n"
            + "E05000002,South,E07000999,Somewhere\n";

    @Test
    void shouldShipFiguresForEveryAreaWhoseWardsSumToTheirDistrict() {
        final Population population = GEOGRAPHY.population();
        assertThat(population.years()).containsExactly(2018, 2019, 2020, 2021, 2022);
        for (final int year : population.years()) {
            long partnership = 0;
            for (final District district : GEOGRAPHY.districts()) {
                final long residents = population.of(district.code(), year).orElseThrow();
                partnership += residents;
                // each boundary set in force on a day of the year sums to the district
                for (final LocalDate day : List.of(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31))) {
                    final long wards = GEOGRAPHY.wards(district, day).stream()
                            .mapToLong(ward -> population.of(ward.code(), year).orElseThrow()).sum();
                    assertThat(wards).as(district.name() + " on " + day).isEqualTo(residents);
                }
            }
            assertThat(population.of(AreaType.CSP, GEOGRAPHY.cspCode(), year)).hasValue(partnership);
        }
    }

    @Test
    void shouldSayTheShippedFiguresAreApproximationsAndWhereTheOnsOnesAre() throws IOException {
        try (InputStream in = Geography.class.getResourceAsStream("/geography/" + Geography.POPULATION)) {
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).startsWith("# Approximations of the ONS mid-year population estimates, not the ONS "
                    + "figures").contains("https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
                    + "populationestimates/");
        }
        assertThat(GEOGRAPHY.population().description()).isEqualTo("population.csv: Approximations of the ONS "
                + "mid-year population estimates, not the ONS figures: replace them with the ONS tables before "
                + "publishing a rate. (https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
                + "populationestimates/datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland)");
    }

    @Test
    void shouldTakeTheNearestYearOutsideTheFile() {
        final Population population = GEOGRAPHY.population();
        final String cambridge = "E07000008";

        assertThat(population.of(cambridge, 2030)).isEqualTo(population.of(cambridge, 2022));
        assertThat(population.of(cambridge, 2001)).isEqualTo(population.of(cambridge, 2018));
        // a ward of the boundary set of May 2021 has no figure before 2021: its first year stands in
        assertThat(population.of("E05013050", 2020)).isEqualTo(population.of("E05013050", 2021));
        assertThat(population.of("E05099999", 2020)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void shouldLoadAUsersFileBesideItsLookup(@TempDir final Path dir) throws IOException {
        final Geography own = load(dir, "AREACD,AREANM,YEAR,POPULATION\nE07000999,Somewhere,2020,3000\n"
                + "E05000001,North,2020,1000\ne05000002,South,2020,\"2,000\"\n");

        assertThat(own.population().of(AreaType.WARD, "E05000002", 2020)).hasValue(2000);
        assertThat(own.population().of(AreaType.CSP, "csp-x", 2020)).hasValue(3000);
    }

    @Test
    void shouldRefuseAFileMissingAnAreaInAYearNamingTheFileTheAreaAndTheYear(@TempDir final Path dir)
            throws IOException {
        final Path file = dir.resolve("population.csv");
        assertThatThrownBy(() -> load(dir, "# two years, South missing in 2021\nAREACD,AREANM,YEAR,POPULATION\n"
                + "E07000999,Somewhere,2020,3000\nE05000001,North,2020,1000\nE05000002,South,2020,2000\n"
                + "E07000999,Somewhere,2021,3100\nE05000001,North,2021,1100\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": no population for ward E05000002 (South, Somewhere) in 2021; every district,"
                        + " and every ward in force during a year, needs a figure for each year from 2020 to 2021");
    }

    @Test
    void shouldRefuseAYearLeftOutBetweenTwoOthers(@TempDir final Path dir) {
        final Path file = dir.resolve("population.csv");
        final StringBuilder text = new StringBuilder("AREACD,AREANM,YEAR,POPULATION\n");
        for (final int year : List.of(2019, 2021)) {
            text.append("E07000999,Somewhere,").append(year).append(",3000\nE05000001,North,").append(year)
                    .append(",1000\nE05000002,South,").append(year).append(",2000\n");
        }

        assertThatThrownBy(() -> load(dir, text.toString())).hasMessageStartingWith(file + ": no population for "
                + "district E07000999 (Somewhere) in 2020, ward E05000001 (North, Somewhere) in 2020, ward E05000002 "
                + "(South, Somewhere) in 2020;");
    }

    @Test
    void shouldRefuseABadRowNamingItsLine(@TempDir final Path dir) {
        final Path file = dir.resolve("population.csv");
        final String header = "# a comment\nAREACD,AREANM,YEAR,POPULATION\n";
        final Map<String, String> refusals = new HashMap<>();
        refusals.put(header + "E07000999,Somewhere,2020,many\n",
                file + ", line 3: POPULATION 'many' is not a whole number from 1 to 100000000");
        refusals.put(header + "E07000999,Somewhere,20,3000\n",
                file + ", line 3: YEAR '20' is not a whole number from 1800 to 2200");
        refusals.put(header + "E07000999,Somewhere,2020,3000\nE07000008,Cambridge,2020,125000\n",
                file + ", line 4: 'E07000008' is neither a ward nor a district of Somewhere CSP; give the ONS code"
                        + " of one of its 1 districts or their wards");
        refusals.put(header + "E07000999,Somewhere,2020,3000\nE05000001,North,2020,1000\n"
                + "E07000999,Somewhere,2020,3000\n", file + ", line 5: E07000999 in 2020 is given twice (first on "
                + "line 3)");
        refusals.put("code,year,residents\nE07000999,2020,3000\n", file + ": the header [code, year, residents] "
                + "lacks [AREACD, POPULATION]; expected the ONS mid-year estimate layout AREACD,AREANM,YEAR,POPULATION");
        refusals.forEach((text, message) -> assertThatThrownBy(() -> load(dir, text)).as(text)
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message));
    }

    private static Geography load(final Path dir, final String population) throws IOException {
        final Path wards = Files.writeString(dir.resolve("wards.csv"), WARDS);
        final Path file = Files.writeString(dir.resolve("population.csv"), population);
        return Geography.load("csp-x", "Somewhere CSP", List.of(new Geography.WardSet(wards, LocalDate.MIN,
                LocalDate.MAX)), Optional.empty(), Optional.empty(), Optional.of(file));
    }
}
