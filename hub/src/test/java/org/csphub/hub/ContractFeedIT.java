package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.feeds.RejectedRecord;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroDeserializer;
import org.csphub.streams.MetricsApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feed the hub does not ship, added by a contract file alone: a council's graffiti reports, written to
 * a feeds folder of the test's own. {@code hub publish} (with {@code --feeds-dir}) takes an export of it,
 * the metric topologies (with {@code feeds.dir}) turn it into the family the contract declares, a count by
 * surface, a sum of tags and a count of the offensive reports, and the metric topic holds exactly what a
 * plain grouping of the export's rows gives, for every ward, district and the partnership, month by month.
 * No Java of the feed exists: only the contract below.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContractFeedIT {

    private static final String CONTRACT = """
            # A council's graffiti reports: a feed of the partnership's own, not shipped with the hub.
            slug: graffiti-reports
            title: Graffiti reports
            owner: council
            freshness: P8D
            record:
              name: GraffitiReport
              namespace: org.example.council.graffiti
              doc: One report of graffiti to the council.
            columns:
              - name: report_id
                type: id
                doc: The council's own reference.
              - name: reported_on
                type: date
                doc: When the graffiti was reported.
              - name: area
                type: area
                given_as: [ward, lsoa]
                doc: The ward and its district.
              - name: surface
                type: enum
                values: [WALL, BUS_SHELTER, SIGN, OTHER]
                symbol: GraffitiSurface
                symbol_doc: What was painted on.
                doc: What was painted on.
              - name: offensive
                type: yes/no
                doc: Whether the graffiti was offensive (removed within a day).
              - name: tags
                type: integer
                min: 0
                max: 500
                doc: How many tags the report counted.
            family:
              name: graffiti
              period: reported_on
              levels: [ward, district, csp]
              breakdowns: [surface]
              counts:
                - name: graffiti.reports
                  by: [surface]
                - name: graffiti.tags
                  sum: tags
                - name: graffiti.offensive
                  where: {offensive: yes}
            """;
    private static final String CSP = "cambridgeshire-and-peterborough";
    /** The wards the export names, with their districts (ONS ward-to-district lookup, 2020). */
    private static final Map<String, String> DISTRICT_OF_WARD = Map.of(
            "E05002703", "E07000008", // Arbury, Cambridge
            "E05002709", "E07000008", // Market, Cambridge
            "E05011268", "E07000011"); // Ramsey, Huntingdonshire
    private static final List<String> WARDS = List.copyOf(new TreeMap<>(DISTRICT_OF_WARD).keySet());
    private static final List<String> SURFACES = List.of("WALL", "BUS_SHELTER", "SIGN", "OTHER");
    private static final List<String> METRICS = List.of("graffiti.reports", "graffiti.tags", "graffiti.offensive");
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    private static EmbeddedStack stack;
    private static MetricsApplication topologies;
    private static final List<Row> ROWS = new ArrayList<>();
    /** The line of the export's bad row (line 1 is the header). */
    private static long badLine;
    private static String publishOutput;
    private static int publishExit;
    private static Set<String> topicsAfterPublish;

    /** One good row of the export, as the council wrote it. */
    private record Row(String id, LocalDate reportedOn, String ward, String surface, boolean offensive, int tags) {
    }

    @BeforeAll
    static void publishTheExportAndRunTheTopologies() throws Exception {
        stack = EmbeddedStack.start(EmbeddedStack.Options.ephemeral(EmbeddedStackExtension.freshDataDir()));
        final Path feeds = Files.createDirectories(work.resolve("feeds"));
        Files.writeString(feeds.resolve("graffiti-reports.yaml"), CONTRACT, StandardCharsets.UTF_8);
        final Path export = work.resolve("graffiti-2020.csv");
        Files.writeString(export, export(), StandardCharsets.UTF_8);

        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        publishExit = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("publish",
                "--feed", "graffiti-reports", "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry", stack.schemaRegistryUrl(), "--data-dir", work.resolve("data").toString(),
                "--feeds-dir", feeds.toString(), export.toString());
        publishOutput = out + err.toString();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            topicsAfterPublish = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }

        final HubConfig config = config(feeds);
        // as hub streams does: publishing made the feed's raw and dead-letter topics only
        TopicSetup.ensure(config);
        final Properties properties = MetricsApplication.properties(config, "127.0.0.1:1");
        topologies = new MetricsApplication(MetricsApplication.topology(config, properties), properties);
        topologies.start();
        await("the topologies to be RUNNING").atMost(Duration.ofSeconds(90)).pollInSameThread().until(
                () -> topologies.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        Stream.of(topologies, stack).filter(resource -> resource != null).forEach(resource -> {
            try {
                resource.close();
            } catch (Exception e) {
                // already stopped
            }
        });
    }

    private static HubConfig config(final Path feeds) {
        return HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                HubConfig.DATA_DIR, work.resolve("data").toString(),
                HubConfig.FEEDS_DIR, feeds.toString()));
    }

    /** Sixty reports over three wards and three months of 2020, with one bad row among them. */
    private static String export() {
        final Random random = new Random(2020);
        final StringBuilder csv = new StringBuilder("report_id,reported_on,ward,surface,offensive,tags\n");
        long line = 1;
        for (int i = 1; i <= 60; i++) {
            final Row row = new Row("G" + (1000 + i), LocalDate.of(2020, 3 + random.nextInt(3), 1 + random.nextInt(28)),
                    WARDS.get(random.nextInt(WARDS.size())), SURFACES.get(random.nextInt(SURFACES.size())),
                    random.nextInt(4) == 0, random.nextInt(12));
            ROWS.add(row);
            // the export writes a surface as the council's system does: sometimes in words
            csv.append(row.id()).append(',').append(row.reportedOn()).append(',').append(row.ward()).append(',')
                    .append(i % 5 == 0 ? row.surface().toLowerCase().replace('_', ' ') : row.surface()).append(',')
                    .append(row.offensive() ? (i % 2 == 0 ? "yes" : "Y") : (i % 2 == 0 ? "no" : "N")).append(',')
                    .append(row.tags()).append('\n');
            line++;
            if (i == 30) {
                csv.append("G9999,2020-04-02,E05002703,ROOF,no,3\n");
                line++;
                badLine = line;
            }
        }
        return csv.toString();
    }

    /** The metrics a plain grouping of the good rows gives: every level, MONTH periods. */
    private static Map<String, Double> expected() {
        final Map<String, Double> expected = new TreeMap<>();
        for (final Row row : ROWS) {
            final String month = row.reportedOn().toString().substring(0, 7);
            final List<String> areas = List.of("WARD " + row.ward(), "DISTRICT " + DISTRICT_OF_WARD.get(row.ward()),
                    "CSP " + CSP);
            for (final String area : areas) {
                expected.merge(cell("graffiti.reports", "", area, month), 1.0, Double::sum);
                expected.merge(cell("graffiti.reports", "surface=" + row.surface(), area, month), 1.0, Double::sum);
                expected.merge(cell("graffiti.tags", "", area, month), (double) row.tags(), Double::sum);
                expected.merge(cell("graffiti.offensive", "", area, month), row.offensive() ? 1.0 : 0.0, Double::sum);
            }
        }
        return expected;
    }

    private static String cell(final String metric, final String dimension, final String area, final String month) {
        return metric + " [" + dimension + "] " + area + " " + month;
    }

    @Test
    void shouldPublishTheExportOfAFeedDeclaredByAContractAlone() {
        assertThat(publishExit).as(publishOutput).isZero();
        assertThat(publishOutput).contains("graffiti-2020.csv");
    }

    /** An agency's publish needs, and makes, the topics of its own feed and no others. */
    @Test
    void shouldCreateTheTopicsOfThePublishedFeedAlone() {
        assertThat(topicsAfterPublish).contains("csp.raw.graffiti-reports", "csp.dlq.graffiti-reports")
                .noneMatch(topic -> topic.startsWith("csp.metrics.") || topic.startsWith("csp.published.")
                        || topic.equals("csp.raw.police-asb") || topic.equals("csp.dlq.streams"));
    }

    @Test
    void shouldComputeTheContractsFamilyAsAPlainGroupingOfTheExportDoes() {
        final Map<String, Double> expected = expected();
        // the three levels, every month of the export, the surfaces, the sum and the filtered count
        assertThat(expected).containsKeys(cell("graffiti.tags", "", "CSP " + CSP, "2020-05"),
                cell("graffiti.offensive", "", "DISTRICT E07000011", "2020-03"));
        final Map<String, Double> actual = new TreeMap<>();
        try (MetricReader reader = new MetricReader()) {
            await("csp.metrics.graffiti to hold the export's metrics").atMost(WAIT).pollInSameThread().until(() -> {
                reader.poll(actual);
                return actual.equals(expected);
            });
        } finally {
            assertThat(actual).as("csp.metrics.graffiti, MONTH values of the three counts")
                    .containsExactlyInAnyOrderEntriesOf(expected);
        }
    }

    @Test
    void shouldSendTheBadRowToTheFeedsDeadLetterTopicWithItsLine() throws Exception {
        final List<RejectedRecord> deadLetters = new ArrayList<>();
        final AvroDeserializer<RejectedRecord> values = new AvroDeserializer<>(RejectedRecord.class);
        values.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            final List<TopicPartition> partitions = partitions(consumer, "csp.dlq.graffiti-reports");
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("the dead letter of line " + badLine).atMost(WAIT).pollInSameThread().until(() -> {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    deadLetters.add(values.deserialize(record.topic(), record.value()));
                }
                return !deadLetters.isEmpty();
            });
        }
        assertThat(deadLetters).hasSize(1);
        final RejectedRecord deadLetter = deadLetters.get(0);
        assertThat(deadLetter.getFeed()).isEqualTo("graffiti-reports");
        assertThat(deadLetter.getLineNumber()).isEqualTo(badLine);
        assertThat(deadLetter.getRawText()).contains("G9999", "ROOF");
        assertThat(deadLetter.getReasons()).extracting(reason -> reason.getCode()).containsExactly("NOT_IN_ENUM");
    }

    @Test
    void shouldRefuseAContractChangeThatCannotReadWhatWasPublishedBeforePublishingAnything() throws Exception {
        // a new column every row must have, with no default: records already on the topic have no value for it
        final Path changed = Files.createDirectories(work.resolve("feeds-changed"));
        Files.writeString(changed.resolve("graffiti-reports.yaml"), CONTRACT.replace("""
                  - name: tags
                """, """
                  - name: removed
                    type: yes/no
                    doc: Whether the council has removed it.
                  - name: tags
                """), StandardCharsets.UTF_8);
        final Path export = work.resolve("graffiti-changed.csv");
        Files.writeString(export, "report_id,reported_on,ward,surface,offensive,removed,tags\n"
                + "G5001,2020-06-03,E05002709,WALL,no,yes,2\n", StandardCharsets.UTF_8);
        final Map<TopicPartition, Long> before;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            before = consumer.endOffsets(partitions(consumer, "csp.raw.graffiti-reports"));
        }
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        final int exit = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("publish",
                "--feed", "graffiti-reports", "--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry", stack.schemaRegistryUrl(), "--data-dir", work.resolve("data").toString(),
                "--feeds-dir", changed.toString(), export.toString());

        assertThat(exit).as(out.toString()).isNotZero();
        assertThat(err.toString()).contains(changed.resolve("graffiti-reports.yaml").toString(),
                "csp.raw.graffiti-reports-value", "READER_FIELD_MISSING_DEFAULT_VALUE", "'removed'");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            assertThat(consumer.endOffsets(partitions(consumer, "csp.raw.graffiti-reports")))
                    .as("the raw topic, after the refused contract").isEqualTo(before);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(final KafkaConsumer<byte[], byte[]> consumer, final String topic) {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }

    /** The latest value of each MONTH cell of the three counts on {@code csp.metrics.graffiti}, a tombstone removing it. */
    private static final class MetricReader implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer = consumer();
        private final AvroDeserializer<AreaMetricKey> keys = new AvroDeserializer<>(AreaMetricKey.class);
        private final AvroDeserializer<AreaMetric> values = new AvroDeserializer<>(AreaMetric.class);

        MetricReader() {
            keys.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), true);
            values.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
            final List<TopicPartition> partitions = partitions(consumer, "csp.metrics.graffiti");
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void poll(final Map<String, Double> latest) {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                final AreaMetricKey key = keys.deserialize(record.topic(), record.key());
                if (key.getPeriodType() != PeriodType.MONTH || !METRICS.contains(key.getMetric())) {
                    continue;
                }
                final String cell = cell(key.getMetric(), key.getDimension() == null ? ""
                        : key.getDimension() + "=" + key.getDimensionValue(), key.getAreaType() + " "
                        + key.getAreaCode(), key.getPeriod());
                final AreaMetric value = record.value() == null ? null : values.deserialize(record.topic(), record.value());
                if (value == null) {
                    latest.remove(cell);
                } else {
                    latest.put(cell, value.getValue());
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
