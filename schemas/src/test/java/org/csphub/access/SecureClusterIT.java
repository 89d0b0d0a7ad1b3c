package org.csphub.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.csphub.embedded.EmbeddedKafka;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.embedded.ScramSecurity;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped example policy on a real broker with SASL/SCRAM-SHA-512 and the standard authorizer
 * (deny by default), its ACLs applied by {@link AclApplier}: one assertion per refusal.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SecureClusterIT {

    private static final Duration REFUSAL_WAIT = Duration.ofSeconds(20);

    private static Path dataDir;
    private static AccessPolicy policy;
    private static ScramSecurity security;
    private static EmbeddedKafka kafka;
    private static AclPlan firstApply;

    @BeforeAll
    static void startSecureBroker() throws Exception {
        dataDir = EmbeddedStackExtension.freshDataDir();
        policy = AccessPolicy.parse(AccessPolicy.example(), "access.example.yaml");
        security = ScramSecurity.prepare(dataDir, policy.principals());
        kafka = EmbeddedKafka.startSecure(dataDir, 0, security, Map.of(), Duration.ofSeconds(90));
        try (Admin admin = Admin.create(clientConfig(ScramSecurity.ADMIN))) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(1, (short) 1)).ensureAll();
            firstApply = new AclApplier(admin).apply(policy);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldRefuseAnUnauthenticatedClient() {
        final Map<String, Object> plain = new LinkedHashMap<>();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        plain.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        plain.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(plain)) {
            // the listener closes a connection that does not start with a SASL handshake; the client never gets an answer
            assertThatThrownBy(() -> admin.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void shouldRefuseAWrongPassword() {
        final Map<String, Object> config = clientConfig("csp-police");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"csp-police\" password=\"not-the-password\";");
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void shouldLetAnAgencyPublishToItsOwnRawAndDeadLetterTopics() throws Exception {
        try (KafkaProducer<String, String> producer = producer("csp-police")) {
            assertThat(producer.send(new ProducerRecord<>("csp.raw.police-asb", "inc-1", "own feed"))
                    .get(30, TimeUnit.SECONDS).offset()).isGreaterThanOrEqualTo(0);
            assertThat(producer.send(new ProducerRecord<>("csp.dlq.police-asb", "file.csv:2", "rejected"))
                    .get(30, TimeUnit.SECONDS).offset()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void shouldRefuseAnAgencyWritingAnotherAgencysTopic() {
        try (KafkaProducer<String, String> producer = producer("csp-police")) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("csp.raw.fire-incidents", "inc-1", "not ours"))
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAnAgencyReadingAnyRawTopicItsOwnIncluded() {
        for (final String raw : TopicKind.RAW.topics(FeedCatalog.shipped())) {
            assertThatThrownBy(() -> readOnce("csp-police", raw))
                    .as("police reading %s", raw).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAnAgencyReadingAMetricTopic() {
        assertThatThrownBy(() -> readOnce("csp-police", "csp.metrics.asb"))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldLetTheResearchGroupReadPublishedTopicsWithItsOwnGroup() throws Exception {
        try (KafkaProducer<String, String> producer = producer(ScramSecurity.ADMIN)) {
            producer.send(new ProducerRecord<>("csp.published.fire", "E05013050|2020-09", "7"))
                    .get(30, TimeUnit.SECONDS);
        }
        final Map<String, Object> config = consumerConfig("csp-research");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "csp-research-analyst");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("csp.published.fire"));
            assertThat(pollUntil(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("7");
        }
    }

    @Test
    void shouldLetTheResearchGroupAsAPartnerReadAMetricTopic() throws Exception {
        try (KafkaProducer<String, String> producer = producer(ScramSecurity.ADMIN)) {
            producer.send(new ProducerRecord<>("csp.metrics.idva", "E07000008|2020/21 Q3", "3"))
                    .get(30, TimeUnit.SECONDS);
        }
        final Map<String, Object> config = consumerConfig("csp-research");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "csp-research-full-figures");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("csp.metrics.idva"));
            // a count of 3, which the published topic would withhold: the partner reads it as it is
            assertThat(pollUntil(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("3");
        }
    }

    @Test
    void shouldRefuseTheResearchGroupOnEveryRawAndDeadLetterTopic() {
        final List<String> forbidden = new ArrayList<>(TopicKind.RAW.topics(FeedCatalog.shipped()));
        forbidden.addAll(TopicKind.DEAD_LETTER.topics(FeedCatalog.shipped()));
        for (final String topic : forbidden) {
            assertThatThrownBy(() -> readOnce("csp-research", topic))
                    .as("research reading %s", topic).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldLetTheOpenDataReaderReadAPublishedTopicWithItsOwnGroup() throws Exception {
        try (KafkaProducer<String, String> producer = producer(ScramSecurity.ADMIN)) {
            producer.send(new ProducerRecord<>("csp.published.asb", "E05013051|2020-09", "12"))
                    .get(30, TimeUnit.SECONDS);
        }
        final Map<String, Object> config = consumerConfig("csp-open-data");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "csp-open-data-portal");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("csp.published.asb"));
            assertThat(pollUntil(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("12");
        }
    }

    @Test
    void shouldRefuseTheOpenDataReaderOnEveryRawDeadLetterAndMetricTopic() {
        final List<String> forbidden = new ArrayList<>(TopicKind.RAW.topics(FeedCatalog.shipped()));
        forbidden.addAll(TopicKind.DEAD_LETTER.topics(FeedCatalog.shipped()));
        // the metric topics hold the values before disclosure control: a public reader's never
        forbidden.addAll(TopicKind.METRICS.topics(FeedCatalog.shipped()));
        for (final String topic : forbidden) {
            assertThatThrownBy(() -> readOnce("csp-open-data", topic))
                    .as("open data reading %s", topic).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseTheResearchGroupAConsumerGroupOutsideItsPrefix() {
        final Map<String, Object> config = consumerConfig("csp-research");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "csp-hub-metrics");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("csp.published.asb"));
            assertThatThrownBy(() -> pollUntil(consumer, 1)).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void shouldRunAnExactlyOnceTopologyUnderTheTopologiesPrincipal() throws Exception {
        try (KafkaProducer<String, String> producer = producer("csp-ambulance")) {
            for (final String ward : List.of("Market", "Arbury", "Market")) {
                producer.send(new ProducerRecord<>("csp.raw.ambulance-callouts", "callout-" + ward.hashCode()
                        + "-" + System.nanoTime(), ward)).get(30, TimeUnit.SECONDS);
            }
        }
        final AtomicReference<KafkaStreams.State> worst = new AtomicReference<>(KafkaStreams.State.CREATED);
        try (KafkaStreams streams = new KafkaStreams(callsPerWard(), streamsConfig())) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_ERROR) {
                    worst.set(now);
                }
            });
            streams.start();
            final Map<String, Object> config = consumerConfig("csp-research");
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "csp-research-eos");
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            final Map<String, String> latest = new LinkedHashMap<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of("csp.published.ambulance"));
                final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!"2".equals(latest.get("Market")) && System.nanoTime() < end
                        && worst.get() == KafkaStreams.State.CREATED) {
                    consumer.poll(Duration.ofMillis(500)).forEach(record -> latest.put(record.key(), record.value()));
                }
            }
            assertThat(worst.get()).as("the topology's worst state").isEqualTo(KafkaStreams.State.CREATED);
            assertThat(latest).containsEntry("Market", "2").containsEntry("Arbury", "1");
        }
    }

    @Test
    void shouldRefuseTheTopologiesPrincipalWritingARawTopic() {
        try (KafkaProducer<String, String> producer = producer("csp-topologies")) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("csp.raw.police-asb", "inc-9", "forged"))
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldChangeNothingWhenAppliedTwice() throws Exception {
        try (Admin admin = Admin.create(clientConfig(ScramSecurity.ADMIN))) {
            final Collection<AclBinding> before = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);

            final AclPlan second = new AclApplier(admin).apply(policy);

            assertThat(firstApply.missing()).hasSameSizeAs(firstApply.wanted()).isNotEmpty();
            assertThat(second.missing()).isEmpty();
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .containsExactlyInAnyOrderElementsOf(before);
        }
    }

    @Test
    void shouldNameAHandMadeAclThatThePolicyDoesNotContain() throws Exception {
        final AclBinding handMade = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "csp.metrics.idva", PatternType.LITERAL),
                new AccessControlEntry("User:someone-else", "*", AclOperation.READ, AclPermissionType.ALLOW));
        try (Admin admin = Admin.create(clientConfig(ScramSecurity.ADMIN))) {
            admin.createAcls(List.of(handMade)).all().get(30, TimeUnit.SECONDS);
            try {
                final AclPlan plan = new AclApplier(admin).plan(policy);

                assertThat(plan.unexpected()).containsExactly(handMade);
                assertThat(plan.missing()).isEmpty();
                assertThat(AclPlanner.describe(plan.unexpected().get(0)))
                        .isEqualTo("ALLOW User:someone-else READ on TOPIC csp.metrics.idva (LITERAL)");
            } finally {
                admin.deleteAcls(List.of(handMade.toFilter())).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Counts calls per ward: a repartition and a changelog topic (internal topics) and transactions,
     * into a published topic (which the research group may read).
     */
    private static org.apache.kafka.streams.Topology callsPerWard() {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("csp.raw.ambulance-callouts", Consumed.with(Serdes.String(), Serdes.String())
                        .withName("raw-callouts"))
                .selectKey((id, ward) -> ward, Named.as("key-by-ward"))
                .groupByKey(Grouped.with("by-ward", Serdes.String(), Serdes.String()))
                .count(Named.as("count-per-ward"), Materialized.as("calls-per-ward"))
                .toStream(Named.as("counts"))
                .mapValues(Object::toString, Named.as("as-text"))
                .to("csp.published.ambulance", Produced.with(Serdes.String(), Serdes.String()).withName("published"));
        return builder.build();
    }

    private static java.util.Properties streamsConfig() {
        final java.util.Properties properties = new java.util.Properties();
        properties.putAll(clientConfig("csp-topologies"));
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, policy.topologies().applicationId());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("streams").toString());
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return properties;
    }

    /** Reads from the start of partition 0 without a consumer group; returns when a poll is refused or the wait ends. */
    private static void readOnce(final String principal, final String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(principal))) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = System.nanoTime() + REFUSAL_WAIT.toNanos();
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(500));
            }
        }
    }

    private static List<ConsumerRecord<String, String>> pollUntil(final KafkaConsumer<String, String> consumer,
            final int count) {
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (records.size() < count && System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static KafkaProducer<String, String> producer(final String principal) {
        final Map<String, Object> config = clientConfig(principal);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static Map<String, Object> consumerConfig(final String principal) {
        final Map<String, Object> config = clientConfig(principal);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    private static Map<String, Object> clientConfig(final String principal) {
        final Map<String, Object> config = new LinkedHashMap<>(security.clientConfig(principal));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return config;
    }
}
