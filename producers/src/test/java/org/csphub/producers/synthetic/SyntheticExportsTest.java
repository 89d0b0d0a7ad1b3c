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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.csphub.geography.Geography;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.intake.IntakeSummary;
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

    @Test
    void shouldCalibrateAsbToTheMarketShareAndNuisanceShare() throws IOException {
        final List<CSVRecord> rows = rows(SyntheticExports.fileOf(dir.resolve("clean"), FeedCatalog.shipped().feed("police-asb")));
        final List<CSVRecord> city = rows.stream().filter(row -> GEOGRAPHY.wards(LocalDate.of(2020, 1, 1)).stream()
                .anyMatch(ward -> ward.district().code().equals("E07000008") && ward.name().equals(wardOf(row,
                        "reported_at")))).toList();

        assertThat(share(city, row -> wardOf(row, "reported_at").equals("Market"))).isEqualTo(0.20);
        assertThat(share(rows, row -> row.get("category").equals("NUISANCE"))).isCloseTo(0.83, within(0.0005));
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
                    .filter(row -> !row.get(0).startsWith(feed == FeedCatalog.shipped().feed("police-asb") ? "ASB" : feed == FeedCatalog.shipped().feed("ambulance-callouts")
                            ? "AMB" : feed == FeedCatalog.shipped().feed("idva-referrals") ? "IDVA" : "FIRE")).count();
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
    void shouldWriteTheSameFilesForTheSameSeed() throws IOException {
        new SyntheticExports(GEOGRAPHY, CLOCK).write(TWO_YEARS, dir.resolve("again"));

        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            assertThat(Files.readString(SyntheticExports.fileOf(dir.resolve("again"), feed)))
                    .isEqualTo(Files.readString(SyntheticExports.fileOf(dir.resolve("clean"), feed)));
        }
    }

    private static org.assertj.core.data.Offset<Double> within(final double offset) {
        return org.assertj.core.data.Offset.offset(offset);
    }
}
