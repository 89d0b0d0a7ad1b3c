package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The secure broker with a keystore: SCRAM over TLS on the client listener, and every way in without it refused. */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SecureTlsKafkaIT {

    private static final String TOPIC = "secure-tls-roundtrip";
    /** How long a client that can never connect keeps trying before its call gives up. */
    private static final int REFUSED_CALL_MS = 15_000;

    private static TestCertificates certificates;
    private static ScramSecurity security;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startTheBrokerWithTls() throws Exception {
        final Path dataDir = EmbeddedStackExtension.freshDataDir();
        certificates = TestCertificates.selfSigned(dataDir.resolve("tls"), TestCertificates.LOOPBACK_NAMES);
        security = ScramSecurity.prepare(dataDir, List.of("csp-police"), Optional.of(certificates.listenerTls()));
        kafka = EmbeddedKafka.startSecure(dataDir, 0, security, Map.of(), Duration.ofSeconds(120));
        try (Admin admin = Admin.create(withBootstrap(security.clientConfig(ScramSecurity.ADMIN)))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopTheBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /**
     * The record goes through a transaction, as the topologies' output does: the broker then checks the
     * transaction's partitions with its own transaction coordinator, through the internal listener.
     */
    @Test
    void shouldProduceAndConsumeOverTlsWithTheWrittenClientSettings() throws Exception {
        final Map<String, Object> settings = settingsOf(security.credentialsFile(ScramSecurity.ADMIN));
        assertThat(settings).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", kafka.bootstrapServers())
                .containsEntry("ssl.truststore.location", certificates.truststore().toString());

        final Map<String, Object> producerSettings = new LinkedHashMap<>(settings);
        producerSettings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "secure-tls-roundtrip");
        final RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            written = producer.send(new ProducerRecord<>(TOPIC, "police", "sent over TLS")).get(60, TimeUnit.SECONDS);
            producer.commitTransaction();
        }

        final Map<String, Object> consumerSettings = new LinkedHashMap<>(settings);
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final TopicPartition partition = new TopicPartition(TOPIC, written.partition());
        ConsumerRecord<String, String> read = null;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            while (read == null) {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read = record;
                    break;
                }
            }
        }
        assertThat(read.key()).isEqualTo("police");
        assertThat(read.value()).isEqualTo("sent over TLS");
        assertThat(read.offset()).isEqualTo(written.offset());
    }

    @Test
    void shouldRefuseAClientThatSpeaksSaslPlaintextToTheTlsListener() {
        final Map<String, Object> settings = new LinkedHashMap<>(security.clientConfig(ScramSecurity.ADMIN));
        settings.keySet().removeIf(key -> key.startsWith("ssl."));
        settings.put("security.protocol", "SASL_PLAINTEXT");

        try (Admin admin = Admin.create(refusable(settings))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void shouldFailTheHandshakeOfAClientThatOnlyHasTheJdksDefaultTrust() {
        final Map<String, Object> settings = new LinkedHashMap<>(security.clientConfig(ScramSecurity.ADMIN));
        settings.keySet().removeIf(key -> key.startsWith("ssl.truststore."));

        try (Admin admin = Admin.create(refusable(settings))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void shouldRefuseAWrongPasswordOverTls() {
        final Map<String, Object> settings = new LinkedHashMap<>(security.clientConfig("csp-police"));
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"csp-police\" password=\"not-the-password\";");

        try (Admin admin = Admin.create(refusable(settings))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void shouldKeepTheBrokersOwnListenerClosedToEveryOtherCredential() {
        assertThat(kafka.interBrokerPort()).isNotEqualTo(kafka.port());
        final Map<String, Object> scram = new LinkedHashMap<>(security.clientConfig(ScramSecurity.ADMIN));
        scram.keySet().removeIf(key -> key.startsWith("ssl."));
        scram.put("security.protocol", "SASL_PLAINTEXT");
        scram.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafka.interBrokerPort());
        final Map<String, Object> plain = new LinkedHashMap<>(scram);
        plain.put("sasl.mechanism", "PLAIN");
        plain.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"" + ScramSecurity.ADMIN + "\" password=\"" + security.password(ScramSecurity.ADMIN) + "\";");

        try (Admin admin = Admin.create(timeouts(scram))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(UnsupportedSaslMechanismException.class);
        }
        try (Admin admin = Admin.create(timeouts(plain))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    /** A principal's credentials file read as a hub command reads it: its {@code kafka.*} keys without the prefix. */
    private static Map<String, Object> settingsOf(final Path file) throws Exception {
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        final Map<String, Object> settings = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().filter(key -> key.startsWith("kafka."))
                .forEach(key -> settings.put(key.substring("kafka.".length()), properties.getProperty(key)));
        return settings;
    }

    private static Map<String, Object> withBootstrap(final Map<String, Object> settings) {
        final Map<String, Object> config = new LinkedHashMap<>(settings);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return config;
    }

    /** Settings for the client listener whose calls give up after {@link #REFUSED_CALL_MS}. */
    private static Map<String, Object> refusable(final Map<String, Object> settings) {
        return timeouts(withBootstrap(settings));
    }

    private static Map<String, Object> timeouts(final Map<String, Object> settings) {
        final Map<String, Object> config = new LinkedHashMap<>(settings);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REFUSED_CALL_MS);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REFUSED_CALL_MS);
        return config;
    }
}
