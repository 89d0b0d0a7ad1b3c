package org.csphub.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.csphub.sinks.MetricFixtures.CAMBRIDGE;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.embedded.EmbeddedPostgres;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.geography.Geography;
import org.csphub.geography.Ward;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroSerializer;
import org.csphub.sinks.MetricFixtures;
import org.csphub.sinks.postgres.PostgresMetricSink;
import org.csphub.sinks.postgres.PostgresSettings;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded PostgreSQL as the demo and {@code hub stack --postgres} start it, with no {@code postgres.url}
 * set: the sink writes its tables there, the other commands on the same data folder find the server, plain
 * JDBC reads the tables back, and a second start on the folder (a second demo) has them still, on the same port.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmbeddedPostgresSinkIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldHoldTheSinksTablesInTheServerItStartsInTheDataFolderAndKeepThemForTheNextStart() throws Exception {
        final Path dataDir = EmbeddedStackExtension.freshDataDir();
        final HubConfig folder = HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.DATA_DIR,
                dataDir.toString()));
        assertThat(folder.isSet(HubConfig.POSTGRES_URL)).as("postgres.url set").isFalse();
        final List<AreaMetric> metrics = wardsOfCambridge();
        final List<AreaMetric> published = DisclosureControl.of(folder, Geography.defaults()).apply(metrics);
        assertThat(published).as("a ward below the threshold").anyMatch(AreaMetric::getSuppressed);
        final List<String> expected = metrics.stream().map(metric -> row(metric.getAreaCode(), metric.getValue(),
                metric.getSuppressed())).sorted().toList();
        final List<String> expectedPublished = published.stream().map(metric -> row(metric.getAreaCode(),
                metric.getValue(), metric.getSuppressed())).sorted().toList();

        final int port;
        // as the demo starts it
        try (EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(dataDir, 0, 0, Map.of(),
                Duration.ofSeconds(180)).withPostgres(folder.getInt(HubConfig.POSTGRES_PORT)))) {
            final EmbeddedPostgres server = stack.postgres().orElseThrow();
            port = server.port();
            // as hub sink postgres and hub status on the same data folder configure themselves
            final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                    HubConfig.DATA_DIR, dataDir.toString(),
                    HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                    HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl()));
            assertThat(config.postgresUrl()).isEqualTo(server.url()).startsWith("jdbc:postgresql://127.0.0.1:");
            assertThat(config.embeddedPostgresUrlFile()).isEqualTo(EmbeddedPostgres.urlFile(dataDir));

            produce(config, metrics, published);
            final PostgresMetricSink sink = new PostgresMetricSink(PostgresSettings.of(config),
                    new PostgresMetricSink.Options(List.of("csp.metrics.idva"),
                            new LinkedHashMap<>(config.kafkaClientProperties()), config.serdeProperties()));
            final Thread thread = Thread.ofPlatform().name("postgres-sink").start(sink);
            try {
                await("both tables to hold every ward").atMost(WAIT).pollInSameThread().until(() ->
                        rows(server.url(), "area_metric").size() == expected.size()
                                && rows(server.url(), "published_area_metric").size() == expectedPublished.size());
            } finally {
                sink.close();
                thread.join(Duration.ofSeconds(30));
            }
            assertThat(rows(server.url(), "area_metric")).containsExactlyElementsOf(expected);
            assertThat(rows(server.url(), "published_area_metric")).containsExactlyElementsOf(expectedPublished);
        }
        assertThat(EmbeddedPostgres.runningUrl(dataDir)).as("the URL once the server has stopped").isEmpty();

        // a second demo on the same folder
        try (EmbeddedPostgres again = EmbeddedPostgres.start(dataDir, 0, Duration.ofSeconds(120))) {
            assertThat(again.port()).as("the port of the previous start").isEqualTo(port);
            assertThat(rows(again.url(), "area_metric")).containsExactlyElementsOf(expected);
            assertThat(rows(again.url(), "published_area_metric")).containsExactlyElementsOf(expectedPublished);
        }
    }

    /** Incidents in each ward of Cambridge in one month; some fewer than the disclosure threshold. */
    private static List<AreaMetric> wardsOfCambridge() {
        final Geography geography = Geography.defaults();
        final List<Ward> wards = geography.wards(geography.district(CAMBRIDGE).orElseThrow(), LocalDate.of(2020, 6, 1));
        final List<AreaMetric> metrics = new ArrayList<>();
        for (int w = 0; w < wards.size(); w++) {
            metrics.add(MetricFixtures.metric("idva.referrals", null, null, AreaType.WARD, wards.get(w).code(),
                    wards.get(w).name(), PeriodType.MONTH, "2020-06", (double) (w * 3 % 17)));
        }
        return metrics;
    }

    private static void produce(final HubConfig config, final List<AreaMetric> metrics,
            final List<AreaMetric> published) throws Exception {
        try (Admin admin = Admin.create(new LinkedHashMap<>(config.kafkaClientProperties()))) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(1, (short) 1)).ensureAll();
        }
        final AvroSerializer<AreaMetricKey> keys = new AvroSerializer<>();
        keys.configure(config.serdeProperties(), true);
        final AvroSerializer<AreaMetric> values = new AvroSerializer<>();
        values.configure(config.serdeProperties(), false);
        final Map<String, Object> properties = new LinkedHashMap<>(config.kafkaClientProperties());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<AreaMetricKey, AreaMetric> producer = new KafkaProducer<>(properties, keys, values)) {
            for (final AreaMetric metric : metrics) {
                producer.send(new ProducerRecord<>("csp.metrics.idva", MetricFixtures.keyOf(metric), metric));
            }
            for (final AreaMetric metric : published) {
                producer.send(new ProducerRecord<>("csp.published.idva", MetricFixtures.keyOf(metric), metric));
            }
            producer.flush();
        }
    }

    /** A table's rows as {@code area value suppressed}, read with plain JDBC, sorted. */
    private static List<String> rows(final String url, final String table) {
        final List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgres.USER, "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT area_code, value, suppressed FROM csp_hub." + table
                        + " WHERE metric = 'idva.referrals' AND period = '2020-06' ORDER BY area_code")) {
            while (result.next()) {
                rows.add(row(result.getString(1), (Double) result.getObject(2), result.getBoolean(3)));
            }
        } catch (SQLException e) {
            return List.of(); // the sink has not created its tables yet
        }
        return rows.stream().sorted().toList();
    }

    private static String row(final String area, final Double value, final boolean suppressed) {
        return area + " " + value + (suppressed ? " suppressed" : "");
    }
}
