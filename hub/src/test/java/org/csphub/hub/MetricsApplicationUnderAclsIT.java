package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.apache.kafka.streams.state.HostInfo;
import org.awaitility.core.ConditionTimeoutException;
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
import org.csphub.streams.query.MetricsQueryService;
import org.csphub.streams.query.ReaderTokens;
import org.csphub.topics.FeedCatalog;
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
 * topics and transactions, and writes metrics; the same credentials cannot write a raw topic. Its
 * readers each get their audience's view: the research group (a partner) reads the metric topic and
 * the open-data reader (public) the published one only, and the query API, asked with each one's token,
 * shows the partner a count it withholds from the public.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MetricsApplicationUnderAclsIT {

    private static final String REGISTRY = "mem://metrics-under-acls";

    private static Path dataDir;
    private static AccessPolicy policy;
    private static ScramSecurity security;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startSecureBroker() throws Exception {
        dataDir = EmbeddedStackExtension.freshDataDir();
        policy = AccessPolicy.parse(AccessPolicy.example(), "access.example.yaml");
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
    void shouldComputeMetricsUnderTheTopologiesPrincipalAndServeEachReaderItsAudiencesView() throws Exception {
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
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final Properties properties = MetricsApplication.properties(config, "127.0.0.1:" + port);
        final AtomicReference<KafkaStreams.State> failed = new AtomicReference<>();
        final List<AreaMetric> published = new ArrayList<>();
        final List<AreaMetric> full = new ArrayList<>();
        try (MetricsApplication application = new MetricsApplication(MetricsApplication.topology(config, properties),
                properties)) {
            application.streams().setStateListener((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR) {
                    failed.set(now);
                }
            });
            final Javalin http = Javalin.create();
            new MetricsQueryService(application.streams(), new HostInfo("127.0.0.1", port), FeedCatalog.shipped(),
                    ReaderTokens.of(policy)).addRoutes(http);
            http.start("127.0.0.1", port);
            try {
                application.start();
                // the open-data reader (public) reads the published topic, where the one callout is withheld
                readUntilMarketSeptember("csp-open-data", "csp-open-data-under-acls", "csp.published.ambulance",
                        published, failed);
                // the research group (a partner) reads the metric topic, where it is counted as it is
                readUntilMarketSeptember("csp-research", "csp-research-under-acls", "csp.metrics.ambulance", full,
                        failed);

                assertThat(failed.get()).as("the application's failure state").isNull();
                assertThat(published).filteredOn(MetricsApplicationUnderAclsIT::isMarketSeptember).isNotEmpty()
                        .allMatch(metric -> metric.getSuppressed() && metric.getValue() == null);
                assertThat(last(full)).satisfies(metric -> {
                    assertThat(metric.getValue()).isEqualTo(1.0);
                    assertThat(metric.getSuppressed()).isFalse();
                });
                assertThatThrownBy(() -> readUntilMarketSeptember("csp-open-data", "csp-open-data-metrics",
                        "csp.metrics.ambulance", new ArrayList<>(), failed))
                        .isInstanceOf(TopicAuthorizationException.class);

                // the query API, by token: each reader gets its own audience's view of the same cell
                final Answer partner = askUntilAnswered(port, "example-research-token");
                assertThat(partner.audience()).isEqualTo("partner");
                assertThat(partner.value()).isEqualTo(1.0);
                assertThat(partner.suppressed()).isFalse();
                final Answer openData = askUntilAnswered(port, "example-open-data-token");
                assertThat(openData.audience()).isEqualTo("public");
                assertThat(openData.value()).isNull();
                assertThat(openData.suppressed()).isTrue();
                assertThat(askUntilAnswered(port, null)).isEqualTo(openData);
                assertThat(ask(port, "Bearer not-a-readers-token").statusCode()).isEqualTo(401);
                // an agency's intake token names no reader
                assertThat(ask(port, "Bearer example-police-token").statusCode()).isEqualTo(401);
            } finally {
                http.stop();
            }
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig("csp-topologies"),
                new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("csp.raw.ambulance-callouts", "AMB-2", "x"))
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** Market's callouts of September 2020 as one caller of the query API sees them. */
    private record Answer(String audience, Double value, boolean suppressed) {
    }

    /** Asks until the cell is there (the stores follow the topics), within a deadline. */
    private static Answer askUntilAnswered(final int port, final String token) {
        final AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        try {
            return await("the query API to answer the cell").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).pollInSameThread().until(() -> {
                        last.set(ask(port, token == null ? null : "Bearer " + token));
                        return answer(last.get());
                    }, Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The query API did not answer the cell within 60 s; last answer: "
                    + (last.get() == null ? "none" : last.get().statusCode() + " " + last.get().body()), e);
        }
    }

    /** The one cell asked for, when the answer holds it. */
    private static Optional<Answer> answer(final HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        final Map<String, Object> body = new ObjectMapper().readValue(response.body(),
                new TypeReference<Map<String, Object>>() { });
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> rows = (List<Map<String, Object>>) body.get("rows");
        if (rows.size() != 1) {
            return Optional.empty();
        }
        final Object value = rows.get(0).get("value");
        return Optional.of(new Answer((String) body.get("audience"),
                value == null ? null : ((Number) value).doubleValue(), (Boolean) rows.get(0).get("suppressed")));
    }

    private static HttpResponse<String> ask(final int port, final String authorization) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + MetricsQueryService.PATH + "?metric=ambulance.callouts&area=E05013057&area_type=WARD"
                + "&period_type=MONTH&from=2020-09&to=2020-09")).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads {@code topic} as {@code principal} until Market's September total is there, within a deadline. */
    private static void readUntilMarketSeptember(final String principal, final String group, final String topic,
            final List<AreaMetric> into, final AtomicReference<KafkaStreams.State> failed) {
        final Map<String, Object> config = clientConfig(principal);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final Map<String, Object> serdeConfig = Map.of("schema.registry.url", REGISTRY);
        try (Serde<AreaMetricKey> keys = AvroSerde.of(AreaMetricKey.class, serdeConfig, true);
                Serde<AreaMetric> values = AvroSerde.of(AreaMetric.class, serdeConfig, false);
                KafkaConsumer<AreaMetricKey, AreaMetric> consumer = new KafkaConsumer<>(config, keys.deserializer(),
                        values.deserializer())) {
            consumer.subscribe(List.of(topic));
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (into.stream().noneMatch(MetricsApplicationUnderAclsIT::isMarketSeptember) && failed.get() == null
                    && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> into.add(record.value()));
            }
        }
    }

    private static AreaMetric last(final List<AreaMetric> metrics) {
        final List<AreaMetric> market = metrics.stream().filter(MetricsApplicationUnderAclsIT::isMarketSeptember)
                .toList();
        assertThat(market).as("Market's September on the metric topic").isNotEmpty();
        return market.get(market.size() - 1);
    }

    private static boolean isMarketSeptember(final AreaMetric metric) {
        return metric.getMetric().equals("ambulance.callouts") && metric.getDimension() == null
                && metric.getAreaCode().equals("E05013057") && metric.getPeriod().equals("2020-09");
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
