package org.csphub.producers.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.config.HubConfig;
import org.csphub.geography.Geography;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.FeedTopics;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.intake.IntakePipeline;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSettings;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.intake.RecordingSchemaRegistry;
import org.csphub.producers.synthetic.SyntheticExports;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.FieldLimits;
import org.csphub.serde.AvroSerializer;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapters built from the shipped contracts declare the exports, and send the records, that the
 * hand-written adapter of each feed did before them: for two years of generated exports of every feed
 * (with their bad rows and corrections), and the same rows each with one cell blanked or replaced,
 * the same summaries, Kafka records (topics, keys, value bytes in the wire format), dead letters and
 * registered schemas, as a digest recorded from those adapters.
 */
class ShippedFeedAdaptersTest {

    /** The shipped feeds that had a hand-written adapter: those with a recorded digest. */
    static List<Feed> shippedFeeds() {
        return FeedCatalog.shipped().feeds().stream().filter(DIGESTS::containsKey).toList();
    }

    private static final Clock CLOCK = Clock.fixed(IntakeHarness.NOW, ZoneOffset.UTC);
    private static final Geography GEOGRAPHY = Geography.defaults();
    private static final HubConfig CONFIG = HubConfig.load(Optional.empty(), Map.of(),
            Map.of(HubConfig.IDVA_CLIENT_KEY, IntakeHarness.IDVA_KEY));
    /** What a replaced cell may hold: blanks, numbers, flags, dates, areas and values of other columns. */
    private static final List<String> REPLACEMENTS = List.of("", " ", "?", "0", "-1", "14", "27", "28", "99", "130",
            "12.0", "yes", "N", "maybe", "high", "Medium", "primary fire", "not-known", "u", "31/02/2020",
            "2020-02-30", "2031-01-01", "01/03/2020 25:00", "2020-03-29T01:30", "Market", "market ", "E05002709",
            "E05013057", "E01017943", "E01999999", "South Cambs", "Hunts", "Norfolk", "Cambridge", "x".repeat(300));

    /**
     * The SHA-256 of what the hand-written adapters made of each feed's exports below (the summaries,
     * every send's topic, key and value bytes, then every registration). A change here changes what
     * partners' rows become: the records, their bytes, the rejection reasons or their messages. The police
     * ASB digest was recorded again when the generator's ASB export gained its seasons and the 2020
     * assessment's ward shares, from the contract's adapter, which had matched the hand-written one's
     * digest of the earlier export.
     */
    private static final Map<Feed, String> DIGESTS = Map.of(
            FeedCatalog.shipped().feed("police-asb"), "9931b6488275a9ab8f6639e97c71ebcbbe1ce2b57f25cbe2c151314e44b66b2e",
            FeedCatalog.shipped().feed("ambulance-callouts"), "890ee11d114a2845019408cb38c8006f11f924021c1b9050d36fc270f0d8dc50",
            FeedCatalog.shipped().feed("idva-referrals"), "c7ad1ca307ce0dcfce02ca3c2464d883b40109ded9c539746c1fa544e1a219ce",
            FeedCatalog.shipped().feed("fire-incidents"), "3956e7cdeb99f68a95dd52c06b240a34bab9e2c2bc40dd2a52a88b547eec92c1");

    /** Each feed's export as a refused header lists it. */
    private static final Map<Feed, String> EXPORTS = Map.of(
            FeedCatalog.shipped().feed("police-asb"), "incident_id, reported_at, category, ward|lsoa, [action]",
            FeedCatalog.shipped().feed("ambulance-callouts"), "callout_id, called_at, sex, age, ward|lsoa, [action]",
            FeedCatalog.shipped().feed("idva-referrals"), "referral_id, referred_on, district, strand, engaged, client_ref, male, disability,"
                    + " lgbt, dash_score|risk_level, [action]",
            FeedCatalog.shipped().feed("fire-incidents"), "incident_id, occurred_at, incident_type, cause, ward|district, [action]");

    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() {
        new SyntheticExports(GEOGRAPHY, CLOCK).write(new SyntheticExports.Options(YearMonth.of(2019, 4),
                YearMonth.of(2021, 3), 11, 0.05, 0.02), dir);
    }

    @ParameterizedTest
    @MethodSource("shippedFeeds")
    void shouldSendWhatTheHandWrittenAdaptersSent(final Feed feed) throws IOException {
        final List<Export> exports = exportsOf(feed);

        final Run run = Run.of(feed, FeedAdapters.of(CONFIG, GEOGRAPHY), exports);

        assertThat(run.summaries()).as("summaries").hasSize(exports.size());
        assertThat(run.sent()).as("sends").hasSizeGreaterThan(1000);
        assertThat(run.summaries().stream().flatMap(summary -> summary.reasonCounts().keySet().stream()))
                .as("reasons met").contains("MISSING_VALUE", "BAD_DATE", "FUTURE_DATE", "NOT_IN_ENUM");
        assertThat(run.registered()).as("schemas registered").hasSize(2);
        assertThat(run.digest()).as("digest of the summaries, sends and registrations").isEqualTo(DIGESTS.get(feed));
    }

    @ParameterizedTest
    @MethodSource("shippedFeeds")
    void shouldDeclareTheExportTheHandWrittenAdaptersDeclared(final Feed feed) {
        final ExportContract export = FeedAdapters.of(CONFIG, GEOGRAPHY).of(feed).contract();

        assertThat(export.describe()).isEqualTo(EXPORTS.get(feed));
        assertThat(export.idColumn()).isEqualTo(EXPORTS.get(feed).substring(0, EXPORTS.get(feed).indexOf(',')));
        assertThat(export.limits()).isEqualTo(FieldLimits.DEFAULTS);
    }

    /** An export's name and bytes. */
    private record Export(String name, byte[] bytes) {
    }

    /** The generated export, its corrections, and its rows again with one cell each blanked or replaced. */
    private static List<Export> exportsOf(final Feed feed) throws IOException {
        final Path main = SyntheticExports.fileOf(dir, feed);
        return List.of(new Export(main.getFileName().toString(), Files.readAllBytes(main)),
                new Export("corrections.csv", Files.readAllBytes(SyntheticExports.correctionsOf(dir, feed))),
                new Export("altered.csv", altered(main, new Random(FeedCatalog.shipped().feeds().indexOf(feed)))));
    }

    private static byte[] altered(final Path file, final Random random) throws IOException {
        final StringWriter out = new StringWriter();
        try (Reader reader = Files.newBufferedReader(file);
                CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            final List<CSVRecord> rows = CSVFormat.DEFAULT.parse(reader).getRecords();
            printer.printRecord(rows.get(0).toList());
            for (final CSVRecord row : rows.subList(1, rows.size())) {
                final List<String> cells = new ArrayList<>(row.toList());
                // the id stays (or the row would only be refused for it); the other cells are fair game
                final int column = 1 + random.nextInt(cells.size() - 1);
                cells.set(column, REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size())));
                if (random.nextInt(4) == 0) {
                    final int other = 1 + random.nextInt(cells.size() - 1);
                    cells.set(other, REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size())));
                }
                printer.printRecord(cells);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One record as Kafka gets it: topic, key, and the value's bytes in hex (schema id included). */
    private record Sent(String topic, String key, String value) {
    }

    /** What one set of adapters made of the exports of a feed. */
    private record Run(List<IntakeSummary> summaries, List<Sent> sent, List<String> registered) {

        static Run of(final Feed feed, final FeedAdapters adapters, final List<Export> exports) {
            final RecordingSchemaRegistry registry = new RecordingSchemaRegistry();
            final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry, false);
            final MockProducer<String, GenericRecord> producer = new MockProducer<>(true, null,
                    new StringSerializer(), serializer);
            // one worker: which unknown names get suggestions depends on the order rows are checked in
            final IntakeService intake = new IntakeService(adapters, new FeedPublisher(producer), CLOCK,
                    IntakeSettings.from(CONFIG), FeedTopics::of, new IntakePipeline(1, IntakePipeline.DEFAULT_BATCH_ROWS));
            final List<IntakeSummary> summaries = new ArrayList<>();
            for (final Export export : exports) {
                summaries.add(intake.ingest(feed, export.name(), new ByteArrayInputStream(export.bytes()),
                        ExportFormat.CSV));
            }
            final List<Sent> sent = producer.history().stream().map(record -> new Sent(record.topic(), record.key(),
                    record.value() == null ? null
                            : HexFormat.of().formatHex(serializer.serialize(record.topic(), record.value()))))
                    .toList();
            return new Run(summaries, sent, registry.registrations().stream()
                    .map(one -> one.subject() + " " + one.schema().toString(true)).toList());
        }

        /** The SHA-256, in hex, of every summary, send and registration, one a line. */
        String digest() {
            final StringBuilder text = new StringBuilder();
            summaries.forEach(summary -> text.append(summary).append('\n'));
            sent.forEach(one -> text.append(one.topic()).append(' ').append(one.key()).append(' ').append(one.value())
                    .append('\n'));
            registered.forEach(one -> text.append(one).append('\n'));
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
