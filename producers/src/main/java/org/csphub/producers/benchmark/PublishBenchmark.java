package org.csphub.producers.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.csphub.config.HubConfig;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.serde.AvroSerializer;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Replication;

/**
 * Throughput of the file intake against Kafka's own {@code ProducerPerformance}, on the same broker in
 * the same run with records of the same size and the same producer settings. Each side runs in a JVM
 * of its own; the intake's with a 256 MiB heap, so that finishing at all shows it fits.
 */
public final class PublishBenchmark {

    public static final String INTAKE_HEAP = "-Xmx256m";
    static final String RAW_TOPIC = "bench.publish.raw";
    static final String DEAD_LETTER_TOPIC = "bench.publish.dlq";
    private static final String PERFORMANCE_TOPIC = "bench.producer-performance";
    private static final Pattern PERFORMANCE_SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec.*");
    private static final List<String> WARDS = List.of("Abbey", "Arbury", "Castle", "Cherry Hinton", "Coleridge",
            "East Chesterton", "King's Hedges", "Market", "Newnham", "Petersfield", "Queen Edith's", "Romsey",
            "Trumpington", "West Chesterton");

    /** What one run measured. */
    public record Result(long rows, double intakeSeconds, double intakeRowsPerSecond, long intakePeakHeapBytes,
            int recordBytes, double producerPerformanceRecordsPerSecond, String producerPerformanceSummary) {
    }

    private final HubConfig config;
    private final Path workDir;

    public PublishBenchmark(final HubConfig config, final Path workDir) {
        this.config = config;
        this.workDir = workDir;
    }

    public Result run(final int rows, final PrintWriter out) throws Exception {
        Files.createDirectories(workDir);
        final Path file = workDir.resolve("bench-police-asb.csv");
        writeFile(file, rows);
        out.printf("Wrote %d rows (%d MiB) to %s%n", rows, Files.size(file) >> 20, file);
        out.flush();
        createTopics();
        final int recordBytes = recordBytes();

        final List<String> intake = ChildJava.command(INTAKE_HEAP, IntakeBenchmarkMain.class.getName(), file.toString(),
                config.bootstrapServers(), config.schemaRegistryUrl());
        final String intakeOutput = ChildJava.run(intake);
        final Matcher measured = Pattern.compile("(?s).*INTAKE rows=(\\d+) seconds=([\\d.]+) peakHeap=(\\d+).*")
                .matcher(intakeOutput);
        if (!measured.matches()) {
            throw new IllegalStateException("The intake run printed no figures:\n" + intakeOutput);
        }
        final long published = Long.parseLong(measured.group(1));
        final double seconds = Double.parseDouble(measured.group(2));

        final List<String> performance = ChildJava.kafkaTool("-Xmx256m", "org.apache.kafka.tools.ProducerPerformance",
                "--topic", PERFORMANCE_TOPIC, "--num-records", String.valueOf(rows), "--record-size",
                String.valueOf(recordBytes), "--throughput", "-1", "--producer-props",
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG + "=" + config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG + "=all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG + "=true",
                ProducerConfig.LINGER_MS_CONFIG + "=20", ProducerConfig.BATCH_SIZE_CONFIG + "=" + 256 * 1024);
        final String performanceOutput = ChildJava.run(performance);
        String summary = "";
        double performanceRate = 0;
        for (final String line : performanceOutput.split("\n")) {
            final Matcher matcher = PERFORMANCE_SUMMARY.matcher(line.trim());
            if (matcher.matches() && Long.parseLong(matcher.group(1)) == rows) {
                summary = line.trim();
                performanceRate = Double.parseDouble(matcher.group(2));
            }
        }
        return new Result(published, seconds, published / seconds, Long.parseLong(measured.group(3)), recordBytes,
                performanceRate, summary);
    }

    private static void writeFile(final Path file, final int rows) throws IOException {
        final LocalDateTime start = LocalDateTime.of(2020, 1, 1, 0, 0);
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("incident_id,reported_at,category,ward\n");
            for (int i = 0; i < rows; i++) {
                writer.write("B" + String.format("%08d", i) + "," + start.plusMinutes(i % 500_000) + ","
                        + (i % 6 == 0 ? "PERSONAL" : "NUISANCE") + "," + WARDS.get(i % WARDS.size()) + "\n");
            }
        }
    }

    private void createTopics() throws Exception {
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        final int partitions = config.getInt(HubConfig.TOPIC_PARTITIONS);
        try (Admin admin = Admin.create(properties)) {
            final Replication replication = Replication.resolve(config.getInt(HubConfig.TOPIC_REPLICATION), admin);
            final var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<NewTopic> missing = new ArrayList<>();
            for (final String topic : List.of(RAW_TOPIC, DEAD_LETTER_TOPIC, PERFORMANCE_TOPIC)) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions, replication.factor()).configs(replication.topicConfig()));
                }
            }
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** The size of a typical published value in the wire format, for ProducerPerformance's records. */
    private int recordBytes() {
        final AvroSerializer<AsbIncident> serializer = new AvroSerializer<>();
        serializer.configure(config.serdeProperties(), false);
        final AsbIncident incident = AsbIncident.newBuilder().setIncidentId("B00000001")
                .setReportedAt(Instant.parse("2020-01-01T00:00:00Z")).setCategory(AsbCategory.NUISANCE)
                .setArea(new Area("E05002703", "Arbury", "E07000008", "Cambridge", null))
                .setReceivedAt(Instant.parse("2021-01-01T00:00:00Z")).setSource("bench-police-asb.csv:2").build();
        return serializer.serialize(RAW_TOPIC, incident).length;
    }

    /** The feed the benchmark publishes. */
    static Feed feed() {
        return FeedCatalog.shipped().feed("police-asb");
    }
}
