package org.csphub.producers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.geography.Geography;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.FeedTopics;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSettings;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP intake in front of a real broker and registry: a refused request (401, 403, 413, 429) leaves
 * nothing on any feed's raw or dead-letter topic, an accepted one leaves exactly its rows.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class HttpIntakeIT {

    private static final String POLICE_TOKEN = "police-token-it-0123456789";
    private static final String FIRE_TOKEN = "fire-token-it-9876543210";
    private static final int PER_MINUTE = 2;
    private static final int MAX_BYTES = 4096;
    private static final String REQUEST_ID = "it-request";
    /** Two good rows and one bad one: what the refused requests would have published. */
    private static final String CSV = "incident_id,reported_at,category,ward\nH1,2020-01-01,NUISANCE,Market\n"
            + "H2,2020-01-02,ROWDY,Market\nH3,2020-01-03,PERSONAL,Arbury\n";

    private static EmbeddedStack stack;
    private static FeedPublisher publisher;
    private static IntakeService intake;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Javalin server;

    @BeforeAll
    static void connect(final EmbeddedStack embedded) throws Exception {
        stack = embedded;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            final List<NewTopic> topics = new ArrayList<>();
            for (final Feed feed : FeedCatalog.shipped().feeds()) {
                topics.add(new NewTopic(topicsOf(feed).raw(), 1, (short) 1));
                topics.add(new NewTopic(topicsOf(feed).deadLetter(), 1, (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(), HubConfig.SCHEMA_REGISTRY_URL,
                stack.schemaRegistryUrl(), HubConfig.IDVA_CLIENT_KEY, IntakeHarness.IDVA_KEY));
        publisher = FeedPublisher.connect(config, "http-intake-it");
        intake = new IntakeService(FeedAdapters.of(config, Geography.defaults()), publisher,
                Clock.fixed(IntakeHarness.NOW, ZoneOffset.UTC), IntakeSettings.from(config), HttpIntakeIT::topicsOf);
    }

    @AfterAll
    static void disconnect() {
        if (publisher != null) {
            publisher.close();
        }
    }

    /** A fresh server for each test, so each starts with full buckets on a clock that never moves. */
    @BeforeEach
    void start() {
        server = Javalin.create(IntakeRoutes::configureServer);
        new IntakeRoutes(intake, TwoAgencies.policy(POLICE_TOKEN, FIRE_TOKEN), MAX_BYTES, new AgencyRateLimiter(PER_MINUTE, () -> 0L)).addRoutes(server);
        server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static FeedTopics topicsOf(final Feed feed) {
        return new FeedTopics("it.http-intake." + feed.slug() + ".raw", "it.http-intake." + feed.slug() + ".dlq");
    }

    private HttpResponse<String> post(final String feed, final String token, final String body) throws Exception {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/feeds/" + feed)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + token)
                .header("X-Request-Id", REQUEST_ID)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The keys on every feed's raw and dead-letter topic, each topic read from its start to its end offset. */
    private static Map<String, List<String>> everyTopic() {
        final Map<String, List<String>> keys = new LinkedHashMap<>();
        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            keys.put(topicsOf(feed).raw(), keysOf(topicsOf(feed).raw()));
            keys.put(topicsOf(feed).deadLetter(), keysOf(topicsOf(feed).deadLetter()));
        }
        return keys;
    }

    private static List<String> keysOf(final String topic) {
        final Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition)).get(partition);
            final List<String> keys = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> keys.add(record.key()));
            }
            assertThat(keys).as("records read from %s up to offset %d", topic, end).hasSize((int) end);
            return keys;
        }
    }

    @Test
    void shouldLeaveNothingOnAnyTopicWhenTheTokenIsWrong() throws Exception {
        final Map<String, List<String>> before = everyTopic();

        assertThat(post("police-asb", "not-a-known-token", CSV).statusCode()).isEqualTo(401);

        assertThat(everyTopic()).isEqualTo(before);
    }

    @Test
    void shouldLeaveNothingOnAnyTopicWhenAnAgencySendsAnotherAgencysFeed() throws Exception {
        final Map<String, List<String>> before = everyTopic();

        assertThat(post("fire-incidents", POLICE_TOKEN, CSV).statusCode()).isEqualTo(403);

        assertThat(everyTopic()).isEqualTo(before);
    }

    @Test
    void shouldLeaveNothingOnAnyTopicWhenTheBodyIsTooLarge() throws Exception {
        final String oversized = CSV + "H4,2020-01-04,NUISANCE,Market\n".repeat(MAX_BYTES / 20);
        final Map<String, List<String>> before = everyTopic();

        assertThat(post("police-asb", POLICE_TOKEN, oversized).statusCode()).isEqualTo(413);

        assertThat(everyTopic()).isEqualTo(before);
    }

    @Test
    void shouldLeaveNothingOnAnyTopicForARequestOverTheRate() throws Exception {
        for (int i = 0; i < PER_MINUTE; i++) {
            assertThat(post("police-asb", POLICE_TOKEN, CSV).statusCode()).isEqualTo(200);
        }
        final Map<String, List<String>> before = everyTopic();

        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, CSV);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("30");
        assertThat(everyTopic()).isEqualTo(before);
    }

    @Test
    void shouldLeaveTheRowsOfAnAcceptedRequestOnTheFeedsTopics() throws Exception {
        final Map<String, List<String>> before = everyTopic();

        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, CSV);

        assertThat(response.statusCode()).isEqualTo(200);
        final Map<String, List<String>> expected = new LinkedHashMap<>(before);
        final List<String> raw = new ArrayList<>(before.get(topicsOf(FeedCatalog.shipped().feed("police-asb")).raw()));
        raw.addAll(List.of("H1", "H3"));
        expected.put(topicsOf(FeedCatalog.shipped().feed("police-asb")).raw(), raw);
        final List<String> dead = new ArrayList<>(before.get(topicsOf(FeedCatalog.shipped().feed("police-asb")).deadLetter()));
        dead.add("http:Constabulary:" + REQUEST_ID + ":3");
        expected.put(topicsOf(FeedCatalog.shipped().feed("police-asb")).deadLetter(), dead);
        assertThat(everyTopic()).isEqualTo(expected);
    }
}
