package org.csphub.producers.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.csphub.contracts.ShippedContracts;
import org.csphub.geography.Geography;
import org.csphub.producers.feeds.FeedAdapter;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.Problems;
import org.csphub.producers.validation.RowFields;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticExportsTest {

    private static final Clock CLOCK = Clock.fixed(IntakeHarness.NOW, ZoneOffset.UTC);
    private static final Geography GEOGRAPHY = Geography.defaults();
    private static final SyntheticExports.Options TWO_YEARS = new SyntheticExports.Options(YearMonth.of(2019, 4),
            YearMonth.of(2021, 3), 7, 0, 0);

    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() {
        new SyntheticExports(GEOGRAPHY, CLOCK).write(TWO_YEARS, dir.resolve("clean"));
        // the spans the assessment's hate crime and needle figures cover
        new SyntheticExports(GEOGRAPHY, CLOCK).write(new SyntheticExports.Options(YearMonth.of(2019, 1),
                YearMonth.of(2020, 9), 7, 0, 0), dir.resolve("calibration"));
    }

    private static List<CSVRecord> rows(final Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
    }

    private static double share(final List<CSVRecord> rows, final Predicate<CSVRecord> part) {
        return (double) rows.stream().filter(part).count() / rows.size();
    }

    /** The ward a row names, by name, code or LSOA, as the reference geography resolves it. */
    private static String wardOf(final CSVRecord row, final String dateColumn) {
        final LocalDate on = LocalDate.parse(row.get(dateColumn).contains("/")
                ? row.get(dateColumn).substring(6, 10) + "-" + row.get(dateColumn).substring(3, 5) + "-"
                        + row.get(dateColumn).substring(0, 2) : row.get(dateColumn).substring(0, 10));
        final String ward = row.get("ward");
        return (ward.isEmpty() ? GEOGRAPHY.wardByLsoa(row.get("lsoa"), on) : GEOGRAPHY.ward(ward, on))
                .orElseThrow().name();
    }

    @Test
    void shouldReproduceThe2019To2020IdvaTableExactly() throws IOException {
        // counted here independently of the generator: financial quarter of referred_on, then the table's row
        final Map<String, int[]> counted = new HashMap<>();
        for (final CSVRecord row : rows(SyntheticExports.fileOf(dir.resolve("clean"), FeedCatalog.shipped().feed("idva-referrals")))) {
            final String text = row.get("referred_on");
            final LocalDate on = text.contains("/") ? LocalDate.of(Integer.parseInt(text.substring(6)),
                    Integer.parseInt(text.substring(3, 5)), Integer.parseInt(text.substring(0, 2))) : LocalDate.parse(text);
            if (on.isBefore(LocalDate.of(2019, 4, 1)) || on.isAfter(LocalDate.of(2020, 3, 31))) {
                continue;
            }
            final int quarter = ((on.getMonthValue() + 8) % 12) / 3;
            final String district = GEOGRAPHY.district(row.get("district")).orElseThrow().code();
            final String line = switch (row.get("strand")) {
                case "HEALTH" -> "Health all";
                case "YOUNG_PEOPLE" -> "CYP all";
                case "A8" -> "A8 all";
                case "DA_STALKING" -> "Stalking";
                default -> switch (district) {
                    case "E07000008" -> "City";
                    case "E07000009" -> "East";
                    case "E07000010" -> "Fenland";
                    case "E07000011" -> "Hunts";
                    case "E07000012" -> "South";
                    default -> "Peterborough";
                };
            };
            counted.computeIfAbsent(line, key -> new int[4])[quarter]++;
        }

        assertThat(counted).hasSize(10);
        assertThat(counted.get("City")).containsExactly(67, 61, 50, 43);
        assertThat(counted.get("East")).containsExactly(22, 27, 15, 18);
        assertThat(counted.get("Fenland")).containsExactly(49, 59, 39, 30);
        assertThat(counted.get("Hunts")).containsExactly(82, 81, 41, 66);
        assertThat(counted.get("South")).containsExactly(38, 48, 39, 30);
        assertThat(counted.get("Health all")).containsExactly(27, 25, 28, 36);
        assertThat(counted.get("CYP all")).containsExactly(34, 31, 33, 57);
        assertThat(counted.get("A8 all")).containsExactly(52, 48, 63, 67);
        assertThat(counted.get("Stalking")).containsExactly(63, 42, 31, 25);
        assertThat(counted.get("Peterborough")).containsExactly(112, 96, 98, 106);
    }

    /** Cambridge's rows of an export: those whose ward (by name, code or LSOA) lies in E07000008. */
    private static List<CSVRecord> cambridge(final List<CSVRecord> rows, final String dateColumn) {
        return rows.stream().filter(row -> {
            final LocalDate on = dateOf(row, dateColumn);
            final String ward = row.get("ward");
            if (ward.isEmpty() && row.get("lsoa").isEmpty()) {
                return false;
            }
            return (ward.isEmpty() ? GEOGRAPHY.wardByLsoa(row.get("lsoa"), on) : GEOGRAPHY.ward(ward, on))
                    .orElseThrow().district().code().equals("E07000008");
        }).toList();
    }

    /** The row's date, read from either form the generator writes. */
    private static LocalDate dateOf(final CSVRecord row, final String dateColumn) {
        final String text = row.get(dateColumn);
        return LocalDate.parse(text.contains("/") ? text.substring(6, 10) + "-" + text.substring(3, 5) + "-"
                + text.substring(0, 2) : text.substring(0, 10));
    }

    private static boolean within(final CSVRecord row, final String dateColumn, final String from, final String to) {
        final LocalDate on = dateOf(row, dateColumn);
        return !on.isBefore(LocalDate.parse(from)) && !on.isAfter(LocalDate.parse(to));
    }

    /** A share as the assessment quotes it: a whole percentage. */
    private static long percent(final List<CSVRecord> rows, final Predicate<CSVRecord> part) {
        return Math.round(100 * share(rows, part));
    }

    @Test
    void shouldCalibrateAsbToTheAssessmentsWardSharesAndNuisanceShare() throws IOException {
        final List<CSVRecord> city = cambridge(rows(SyntheticExports.fileOf(dir.resolve("clean"), FeedCatalog.shipped().feed("police-asb"))),
                "reported_at");
        final List<CSVRecord> year = city.stream()
                .filter(row -> within(row, "reported_at", "2019-10-01", "2020-09-30")).toList();
        final List<CSVRecord> financialYear = city.stream()
                .filter(row -> within(row, "reported_at", "2019-04-01", "2020-03-31")).toList();

        // October 2019 to September 2020
        assertThat(percent(year, row -> wardOf(row, "reported_at").equals("Market"))).isEqualTo(20);
        assertThat(percent(year, row -> wardOf(row, "reported_at").equals("Trumpington"))).isEqualTo(13);
        assertThat(percent(year, row -> wardOf(row, "reported_at").equals("Abbey"))).isEqualTo(9);
        // 2019/20
        assertThat(percent(financialYear, row -> row.get("category").equals("NUISANCE"))).isEqualTo(83);
    }

    @Test
    void shouldGiveAsbSeasonsAndTheFirstLockdownsDipAndSummer() throws IOException {
        final Map<YearMonth, Integer> city = new HashMap<>();
        cambridge(rows(SyntheticExports.fileOf(dir.resolve("clean"), FeedCatalog.shipped().feed("police-asb"))), "reported_at")
                .forEach(row -> city.merge(YearMonth.from(dateOf(row, "reported_at")), 1, Integer::sum));

        // June 2020 up 35% on March 2020
        assertThat(city.get(YearMonth.of(2020, 6)) * 100).isEqualTo(135 * city.get(YearMonth.of(2020, 3)));
        assertThat(city.get(YearMonth.of(2020, 4))).isLessThan(city.get(YearMonth.of(2020, 3)));
        assertThat(city.get(YearMonth.of(2020, 5))).isGreaterThan(city.get(YearMonth.of(2020, 4)));
        assertThat(city.get(YearMonth.of(2020, 7))).isGreaterThan(city.get(YearMonth.of(2020, 6)));
        assertThat(city.get(YearMonth.of(2019, 7))).isGreaterThan(city.get(YearMonth.of(2019, 12)));
        assertThat(city.values().stream().distinct().count()).isGreaterThan(6);
    }

    @Test
    void shouldCalibrateCambridgesViolenceToTheYearToSeptember2020() throws IOException {
        final List<CSVRecord> year = cambridge(rows(SyntheticExports.fileOf(dir.resolve("clean"), "police-crime")),
                "recorded_on").stream().filter(row -> within(row, "recorded_on", "2019-10-01", "2020-09-30")).toList();
        final List<CSVRecord> violence = year.stream()
                .filter(row -> row.get("offence_group").equals("VIOLENCE_AGAINST_THE_PERSON")).toList();

        assertThat(violence.stream().filter(row -> row.get("offence_subgroup").equals("VIOLENCE_WITHOUT_INJURY")))
                .hasSize(2213);
        assertThat(violence.stream().filter(row -> row.get("offence_subgroup").equals("STALKING_AND_HARASSMENT")))
                .hasSize(961);
        assertThat(percent(violence, row -> row.get("offence_subgroup").equals("VIOLENCE_WITHOUT_INJURY")))
                .isEqualTo(55);
        assertThat(percent(violence, row -> row.get("offence_subgroup").equals("STALKING_AND_HARASSMENT")))
                .isEqualTo(24);
        // the city records roughly 14,000 crimes a year
        assertThat(year).hasSizeBetween(13_000, 15_000);
    }

    @Test
    void shouldCalibrateCambridgesHateCrimesInJanuaryToAugust() throws IOException {
        final List<CSVRecord> hate = cambridge(rows(SyntheticExports.fileOf(dir.resolve("calibration"),
                "police-crime")), "recorded_on").stream().filter(row -> yes(row.get("hate_crime"))).toList();

        final long in2019 = hate.stream().filter(row -> within(row, "recorded_on", "2019-01-01", "2019-08-31")).count();
        final long in2020 = hate.stream().filter(row -> within(row, "recorded_on", "2020-01-01", "2020-08-31")).count();
        assertThat(in2019).isEqualTo(1753);
        assertThat(in2020).isEqualTo(951);
        // a fall of 46%
        assertThat(Math.round(100.0 * (in2019 - in2020) / in2019)).isEqualTo(46);
    }

    @Test
    void shouldGiveCambridgeTheHighestRateOfHateCrimesAndPeterboroughTheMostIn2019And2020() throws IOException {
        // the demo's span and seed
        final Path out = dir.resolve("demo");
        new SyntheticExports(GEOGRAPHY, CLOCK).write(new SyntheticExports.Options(YearMonth.of(2019, 1),
                YearMonth.of(2021, 3), 2020, 0, 0), out);
        // district → year → hate crimes, each row's district as the reference geography resolves its area
        final Map<String, Map<Integer, Long>> hate = new TreeMap<>();
        for (final CSVRecord row : rows(SyntheticExports.fileOf(out, "police-crime"))) {
            if (yes(row.get("hate_crime"))) {
                final LocalDate on = dateOf(row, "recorded_on");
                final String ward = row.get("ward");
                final String district = (ward.isEmpty() ? GEOGRAPHY.wardByLsoa(row.get("lsoa"), on)
                        : GEOGRAPHY.ward(ward, on)).orElseThrow().district().name();
                hate.computeIfAbsent(district, key -> new TreeMap<>()).merge(on.getYear(), 1L, Long::sum);
            }
        }

        assertThat(hate.keySet()).as("districts with hate crimes").hasSize(GEOGRAPHY.districts().size());
        for (final int year : List.of(2019, 2020)) {
            final Map<String, Double> rates = new TreeMap<>();
            hate.forEach((district, years) -> rates.put(district, years.get(year) * 1000.0 / GEOGRAPHY.population()
                    .of(GEOGRAPHY.district(district).orElseThrow().code(), year).orElseThrow()));
            final String highestRate = rates.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow()
                    .getKey();
            final String most = hate.entrySet().stream().max(Comparator.comparingLong(
                    (Map.Entry<String, Map<Integer, Long>> entry) -> entry.getValue().get(year))).orElseThrow().getKey();
            assertThat(highestRate).as("the highest rate per 1,000 residents in " + year).isEqualTo("Cambridge");
            assertThat(most).as("the most hate crimes in " + year).isEqualTo("Peterborough");
        }
    }

    @Test
    void shouldCalibrateCambridgesNeedleFindsFromJanuary2019ToSeptember2020() throws IOException {
        final List<CSVRecord> finds = cambridge(rows(SyntheticExports.fileOf(dir.resolve("calibration"),
                "needle-finds")), "found_on").stream()
                .filter(row -> within(row, "found_on", "2019-01-01", "2020-09-30")).toList();

        assertThat(finds).hasSize(318);
        assertThat(finds.stream().mapToInt(row -> Integer.parseInt(row.get("needles"))).sum()).isEqualTo(2457);
        assertThat(percent(finds, row -> wardOf(row, "found_on").equals("Market"))).isEqualTo(27);
        assertThat(percent(finds, row -> wardOf(row, "found_on").equals("Petersfield"))).isEqualTo(16);
        assertThat(percent(finds, row -> wardOf(row, "found_on").equals("Romsey"))).isEqualTo(12);
    }

    @Test
    void shouldMakePlausibleEdAssaultAttendancesSomeWithoutAWard() throws IOException {
        final List<CSVRecord> rows = rows(SyntheticExports.fileOf(dir.resolve("clean"), "ed-assaults"));
        final List<CSVRecord> cityYear = cambridge(rows, "attended_on").stream()
                .filter(row -> within(row, "attended_on", "2019-04-01", "2020-03-31")).toList();
        final List<CSVRecord> aged = rows.stream().filter(row -> !row.get("age").isEmpty()).toList();

        // a few hundred a year in Cambridge, about two thirds male, young adults most
        assertThat(cityYear).hasSizeBetween(200, 400);
        assertThat(share(rows, row -> row.get("sex").equals("M"))).isCloseTo(0.66, within(0.001));
        assertThat(share(aged, row -> Integer.parseInt(row.get("age")) >= 18 && Integer.parseInt(row.get("age")) < 35))
                .isGreaterThan(0.5);
        assertThat(share(rows, row -> row.get("ward").isEmpty() && row.get("lsoa").isEmpty())).isBetween(0.04, 0.15);
    }

    private static boolean yes(final String text) {
        return text.equalsIgnoreCase("yes") || text.equalsIgnoreCase("y");
    }

    @Test
    void shouldCalibrateAmbulanceCalloutsToThePublishedWardSharesAndSex() throws IOException {
        final List<CSVRecord> rows = rows(SyntheticExports.fileOf(dir.resolve("clean"), FeedCatalog.shipped().feed("ambulance-callouts")));
        final List<String> cityWards = GEOGRAPHY.wards(LocalDate.of(2020, 1, 1)).stream()
                .filter(ward -> ward.district().code().equals("E07000008")).map(ward -> ward.name()).toList();
        final List<CSVRecord> city = rows.stream().filter(row -> cityWards.contains(wardOf(row, "called_at"))).toList();

        assertThat(share(city, row -> wardOf(row, "called_at").equals("Market"))).isCloseTo(0.305, within(0.0006));
        assertThat(share(city, row -> wardOf(row, "called_at").equals("Arbury"))).isCloseTo(0.116, within(0.0006));
        assertThat(share(city, row -> wardOf(row, "called_at").equals("King's Hedges"))).isCloseTo(0.097, within(0.0006));
        assertThat(share(rows, row -> row.get("sex").equals("M"))).isCloseTo(0.635, within(0.0006));
    }

    @Test
    void shouldCalibrateCambridgeFiresPerYearAndByCause() throws IOException {
        final List<CSVRecord> city = rows(SyntheticExports.fileOf(dir.resolve("clean"), FeedCatalog.shipped().feed("fire-incidents"))).stream()
                .filter(row -> !row.get("ward").isEmpty() && GEOGRAPHY.ward(row.get("ward"), LocalDate.of(2020, 1, 1))
                        .map(ward -> ward.district().code().equals("E07000008")).orElse(false)).toList();

        assertThat(city).hasSize(386);
        assertThat(share(city, row -> row.get("cause").equals("DELIBERATE"))).isCloseTo(0.24, within(0.002));
        assertThat(share(city, row -> row.get("cause").equals("ACCIDENTAL"))).isCloseTo(0.63, within(0.002));
        assertThat(share(city, row -> row.get("cause").equals("NOT_KNOWN"))).isCloseTo(0.13, within(0.002));
    }

    @Test
    void shouldWriteOnlyRowsTheIntakeAccepts() throws IOException {
        final IntakeHarness harness = new IntakeHarness();
        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            try (InputStream in = Files.newInputStream(SyntheticExports.fileOf(dir.resolve("clean"), feed))) {
                final IntakeSummary summary = harness.intake.ingest(feed, feed.slug(), in, ExportFormat.CSV);

                assertThat(summary.rejected()).as(feed.slug()).isZero();
                assertThat(summary.accepted()).as(feed.slug()).isPositive();
            }
        }
    }

    @Test
    void shouldAddBadRowsThatAreAllRejectedAndCorrectionsThatAreAllAccepted() throws IOException {
        final Path out = dir.resolve("bad");
        new SyntheticExports(GEOGRAPHY, CLOCK).write(new SyntheticExports.Options(YearMonth.of(2020, 1),
                YearMonth.of(2020, 6), 3, 0.02, 0.01), out);
        final IntakeHarness harness = new IntakeHarness();
        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            final long bad = rows(SyntheticExports.fileOf(out, feed)).stream()
                    .filter(row -> row.get(0).isEmpty() || row.get(0).startsWith("BAD-")).count();
            try (InputStream in = Files.newInputStream(SyntheticExports.fileOf(out, feed));
                    InputStream corrections = Files.newInputStream(SyntheticExports.correctionsOf(out, feed))) {
                final IntakeSummary summary = harness.intake.ingest(feed, "main", in, ExportFormat.CSV);
                final IntakeSummary corrected = harness.intake.ingest(feed, "corrections", corrections, ExportFormat.CSV);

                assertThat(bad).as(feed.slug()).isPositive();
                assertThat(summary.rejected()).as(feed.slug()).isEqualTo(bad);
                assertThat(corrected.rejected()).as(feed.slug()).isZero();
                assertThat(corrected.deletes()).as(feed.slug()).isPositive();
            }
        }
    }

    @Test
    void shouldWriteRowsOfTheNewFeedsThatTheirAdaptersAcceptButTheBadOnes() throws IOException {
        final Path out = dir.resolve("new-feeds");
        new SyntheticExports(GEOGRAPHY, CLOCK).write(new SyntheticExports.Options(YearMonth.of(2020, 1),
                YearMonth.of(2020, 6), 3, 0.02, 0.01), out);
        for (final String slug : List.of("police-crime", "needle-finds", "ed-assaults")) {
            final FeedAdapter adapter = new FeedAdapter(ShippedContracts.of(slug), new AreaResolver(GEOGRAPHY), () -> {
                throw new AssertionError("no column is a person's reference");
            });
            final String idColumn = adapter.contract().idColumn();
            final List<CSVRecord> main = rows(SyntheticExports.fileOf(out, slug));
            final List<CSVRecord> corrections = rows(SyntheticExports.correctionsOf(out, slug));

            assertThat(main.stream().filter(row -> row.get(idColumn).startsWith("BAD-") || row.get(idColumn).isEmpty())
                    .filter(row -> accepted(adapter, row))).as(slug + ": bad rows accepted").isEmpty();
            assertThat(main.stream().filter(row -> !row.get(idColumn).startsWith("BAD-") && !row.get(idColumn).isEmpty())
                    .filter(row -> !accepted(adapter, row))).as(slug + ": good rows refused").isEmpty();
            assertThat(main.stream().filter(row -> row.get(idColumn).startsWith("BAD-") || row.get(idColumn).isEmpty()))
                    .as(slug).isNotEmpty();
            assertThat(corrections.stream().filter(row -> row.get("action").equals("UPSERT"))
                    .filter(row -> !accepted(adapter, row))).as(slug + ": corrections refused").isEmpty();
            assertThat(corrections).as(slug).anyMatch(row -> row.get("action").equals("DELETE"));
            if (slug.equals("police-crime")) {
                assertThat(main).as("a crime of a subgroup outside its group")
                        .anyMatch(row -> reasons(adapter, row).contains("NOT_IN_GROUP"));
            }
        }
    }

    /** The rejection codes of a row with an id. */
    private static List<String> reasons(final FeedAdapter adapter, final CSVRecord row) {
        final Problems problems = new Problems("export.csv", row.getRecordNumber() + 1);
        final RowFields fields = new RowFields(adapter.contract().layout(row.getParser().getHeaderNames(),
                java.util.Set.of()), row.toList(), problems, CLOCK);
        adapter.toRecord(row.get(adapter.contract().idColumn()), fields, IntakeHarness.NOW, "export.csv");
        return problems.reasons().stream().map(reason -> reason.getCode()).toList();
    }

    /** Whether the adapter makes a record of a row (a blank id is the intake's to refuse). */
    private static boolean accepted(final FeedAdapter adapter, final CSVRecord row) {
        if (row.get(adapter.contract().idColumn()).isEmpty()) {
            return false;
        }
        final List<String> header = row.getParser().getHeaderNames();
        final RowFields fields = new RowFields(adapter.contract().layout(header, java.util.Set.of()), row.toList(),
                new Problems("export.csv", row.getRecordNumber() + 1), CLOCK);
        return adapter.toRecord(row.get(adapter.contract().idColumn()), fields, IntakeHarness.NOW, "export.csv")
                .isPresent();
    }

    @Test
    void shouldWriteTheSameFilesForTheSameSeed() throws IOException {
        new SyntheticExports(GEOGRAPHY, CLOCK).write(TWO_YEARS, dir.resolve("again"));

        for (final String slug : ShippedContracts.SLUGS) {
            assertThat(Files.readString(SyntheticExports.fileOf(dir.resolve("again"), slug)))
                    .isEqualTo(Files.readString(SyntheticExports.fileOf(dir.resolve("clean"), slug)));
        }
    }

    private static org.assertj.core.data.Offset<Double> within(final double offset) {
        return org.assertj.core.data.Offset.offset(offset);
    }
}
