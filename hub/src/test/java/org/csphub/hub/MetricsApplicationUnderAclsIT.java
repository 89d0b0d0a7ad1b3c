package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.csphub.access.AccessPolicy;
import org.csphub.access.AclApplier;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedKafka;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.embedded.ScramSecurity;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.ambulance.Sex;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.serde.AvroSerde;
import org.csphub.streams.MetricsApplication;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real metrics application, exactly-once, under the topologies' principal on a broker with
 * SASL/SCRAM and the example access file's ACLs: it reads a raw topic, creates and uses its internal
 * topics and transactions, and writes metrics; the same credentials cannot write a raw topic.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MetricsApplicationUnderAclsIT {

    private static final String REGISTRY = "mem://metrics-under-acls";

    private static Path dataDir;
    private static ScramSecurity security;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startSecureBroker() throws Exception {
        dataDir = EmbeddedStackExtension.freshDataDir();
        final AccessPolicy policy = AccessPolicy.parse(AccessPolicy.example(), "access.example.yaml");
        security = ScramSecurity.prepare(dataDir, policy.principals());
        kafka = EmbeddedKafka.startSecure(dataDir, 0, security, Map.of(), Duration.ofSeconds(90));
        try (Admin admin = Admin.create(clientConfig(ScramSecurity.ADMIN))) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(1, (short) 1)).ensureAll();
            new AclApplier(admin).apply(policy);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldComputeMetricsUnderTheTopologiesPrincipalAndNothingBroader() throws Exception {
        final Map<String, Object> serdeConfig = Map.of("schema.registry.url", REGISTRY);
        final AmbulanceCallout callout = AmbulanceCallout.newBuilder().setCalloutId("AMB-1")
                .setCalledAt(Instant.parse("2020-09-12T22:15:00Z"))
                .setArea(Area.newBuilder().setWardCode("E05013057").setWardName("Market")
                        .setDistrictCode("E07000008").setDistrictName("Cambridge").build())
                .setSex(Sex.M).setAgeBand("20-24").setReceivedAt(Instant.parse("2020-10-01T09:00:00Z"))
                .setSource("callouts.csv:2").build();
        try (Serde<AmbulanceCallout> serde = AvroSerde.of(AmbulanceCallout.class, serdeConfig, false);
                KafkaProducer<String, AmbulanceCallout> producer = new KafkaProducer<>(
                        producerConfig("csp-ambulance"), new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>("csp.raw.ambulance-callouts", "AMB-1", callout)).get(30, TimeUnit.SECONDS);
        }

        // the topologies' settings come from their credentials file, as `hub <command> --config` reads it
        final HubConfig config = HubConfig.load(Optional.of(security.credentialsFile("csp-topologies")), Map.of(),
                Map.of(HubConfig.SCHEMA_REGISTRY_URL, REGISTRY, HubConfig.DATA_DIR, dataDir.toString(),
                        HubConfig.TOPIC_REPLICATION, "1"));
        final Properties properties = MetricsApplication.properties(config, "127.0.0.1:1");
        final AtomicReference<KafkaStreams.State> failed = new AtomicReference<>();
        final List<AreaMetric> metrics = new ArrayList<>();
        try (MetricsApplication application = new MetricsApplication(MetricsApplication.topology(config, properties),
                properties)) {
            application.streams().setStateListener((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR) {
                    failed.set(now);
                }
            });
            application.start();
            try (Serde<AreaMetricKey> keys = AvroSerde.of(AreaMetricKey.class, serdeConfig, true);
                    Serde<AreaMetric> values = AvroSerde.of(AreaMetric.class, serdeConfig, false);
                    KafkaConsumer<AreaMetricKey, AreaMetric> consumer = new KafkaConsumer<>(
                            researchConsumerConfig(), keys.deserializer(), values.deserializer())) {
                // the research group reads the published topic, where the one callout is withheld
                consumer.subscribe(List.of("csp.published.ambulance"));
                final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (metrics.stream().noneMatch(MetricsApplicationUnderAclsIT::isMarketSeptember)
                        && failed.get() == null && System.nanoTime() < end) {
                    consumer.poll(Duration.ofMillis(500)).forEach(record -> metrics.add(record.value()));
                }
            }
        }

        assertThat(failed.get()).as("the application's failure state").isNull();
        assertThat(metrics).filteredOn(MetricsApplicationUnderAclsIT::isMarketSeptember).isNotEmpty()
                .allMatch(metric -> metric.getSuppressed() && metric.getValue() == null);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig("csp-topologies"),
                new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("csp.raw.ambulance-callouts", "AMB-2", "x"))
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static boolean isMarketSeptember(final AreaMetric metric) {
        return metric.getMetric().equals("ambulance.callouts") && metric.getDimension() == null
                && metric.getAreaCode().equals("E05013057") && metric.getPeriod().equals("2020-09");
    }

    private static Map<String, Object> researchConsumerConfig() {
        final Map<String, Object> config = clientConfig("csp-research");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "csp-research-metrics-under-acls");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    private static Map<String, Object> producerConfig(final String principal) {
        final Map<String, Object> config = clientConfig(principal);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    private static Map<String, Object> clientConfig(final String principal) {
        final Map<String, Object> config = new LinkedHashMap<>(security.clientConfig(principal));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return config;
    }
}
