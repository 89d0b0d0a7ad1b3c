package org.csphub.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.ambulance.Sex;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireCause;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.fire.FireIncidentType;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.geography.Area;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serde and registry client against a real broker and a real registry (Apicurio's Confluent-compatible API). */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class ConfluentSerdeIT {

    private static EmbeddedStack stack;
    private static SchemaRegistryClient registry;

    @BeforeAll
    static void start(final EmbeddedStack shared) throws Exception {
        stack = shared;
        registry = new SchemaRegistryClient(SchemaRegistryClient.Settings.of(stack.schemaRegistryUrl()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(1, (short) 1)).ensureAll();
        }
    }

    private static final Area CAMBRIDGE_MARKET = Area.newBuilder().setWardCode("E05002709").setWardName("Market")
            .setDistrictCode("E07000008").setDistrictName("Cambridge").build();

    @Test
    void shouldProduceAndConsumeEachRawRecordTypeAndRegisterTheirSubjects() {
        final Map<Feed, SpecificRecord> records = Map.of(
                FeedCatalog.shipped().feed("police-asb"), ConfluentWireFormatFixtureTest.expected(),
                FeedCatalog.shipped().feed("ambulance-callouts"), AmbulanceCallout.newBuilder().setCalloutId("AMB-1")
                        .setCalledAt(Instant.parse("2020-06-13T23:40:00Z")).setArea(CAMBRIDGE_MARKET).setSex(Sex.M)
                        .setAgeBand("20-24").setReceivedAt(Instant.parse("2020-07-01T08:00:00Z")).build(),
                FeedCatalog.shipped().feed("idva-referrals"), AvroSerdeTest.referral(),
                FeedCatalog.shipped().feed("fire-incidents"), FireIncident.newBuilder().setIncidentId("FIRE-1")
                        .setOccurredAt(Instant.parse("2020-11-05T19:30:00Z"))
                        .setIncidentType(FireIncidentType.SECONDARY_FIRE).setCause(FireCause.DELIBERATE)
                        .setArea(CAMBRIDGE_MARKET).setReceivedAt(Instant.parse("2020-11-06T08:00:00Z")).build());
        final Map<String, Object> serde = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());

        for (final Map.Entry<Feed, SpecificRecord> entry : records.entrySet()) {
            final Feed feed = entry.getKey();
            final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
            serializer.configure(serde, false);
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), serializer)) {
                producer.send(new ProducerRecord<>(feed.rawTopic(), "key-1", entry.getValue())).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("Could not produce to " + feed.rawTopic(), e);
            }
            @SuppressWarnings("unchecked")
            final Class<? extends SpecificRecord> type = (Class<? extends SpecificRecord>) entry.getValue().getClass();
            final AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>(type);
            deserializer.configure(serde, false);
            assertThat(readOne(feed.rawTopic(), deserializer)).as(feed.rawTopic()).isEqualTo(entry.getValue());
        }

        assertThat(registry.subjects()).contains("csp.raw.police-asb-value", "csp.raw.ambulance-callouts-value",
                "csp.raw.idva-referrals-value", "csp.raw.fire-incidents-value");
    }

    @Test
    void shouldWriteAndReadTheHandWrittenFixtureWithTheRealRegistrysId() {
        final int id = registry.register("fixture-asb-value", AsbIncident.getClassSchema());
        final byte[] body = HexFormat.of().parseHex(ConfluentWireFormatFixtureTest.FIXTURE.substring(10));
        final byte[] payload = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
        final AvroDeserializer<AsbIncident> deserializer = new AvroDeserializer<>(
                new SchemaRegistryClient(SchemaRegistryClient.Settings.of(stack.schemaRegistryUrl())), AsbIncident.class);

        assertThat(deserializer.deserialize("fixture-asb", payload)).isEqualTo(ConfluentWireFormatFixtureTest.expected());
        assertThat(new AvroSerializer<AsbIncident>(registry, false)
                .serialize("fixture-asb", ConfluentWireFormatFixtureTest.expected())).isEqualTo(payload);
    }

    @Test
    void shouldNameAnUnknownSchemaIdAndTheRegistry() {
        final AvroDeserializer<AsbIncident> deserializer = new AvroDeserializer<>(
                new SchemaRegistryClient(SchemaRegistryClient.Settings.of(stack.schemaRegistryUrl())), AsbIncident.class);
        final byte[] payload = ByteBuffer.allocate(6).put((byte) 0).putInt(987_654).put((byte) 2).array();

        assertThatThrownBy(() -> deserializer.deserialize("csp.raw.police-asb", payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'csp.raw.police-asb'")
                .hasMessageContaining("schema id 987654")
                .hasMessageContaining(stack.schemaRegistryUrl())
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void shouldSayTheRegistryIsUnreachable() {
        final SchemaRegistryClient nowhere = new SchemaRegistryClient(new SchemaRegistryClient.Settings(
                "http://127.0.0.1:9/apis/ccompat/v7", Optional.empty(), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> new AvroSerializer<AsbIncident>(nowhere, false)
                .serialize("csp.raw.police-asb", ConfluentWireFormatFixtureTest.expected()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("http://127.0.0.1:9/apis/ccompat/v7")
                .hasMessageContaining("unreachable")
                .hasMessageContaining("register a schema under subject 'csp.raw.police-asb-value'");
    }

    @Test
    void shouldReportTheRegistrysRefusalOfAnIncompatibleSchema() {
        final String subject = "compatibility-check-value";
        final Schema first = SchemaBuilder.record("Thing").fields().requiredString("id").endRecord();
        final Schema breaking = SchemaBuilder.record("Thing").fields().requiredString("id").requiredInt("n")
                .endRecord();
        registry.register(subject, first);
        registry.setCompatibility(subject, "BACKWARD");

        assertThat(registry.compatibility(subject)).isEqualTo("BACKWARD");
        assertThat(registry.checkCompatibility(subject, breaking).compatible()).isFalse();
        assertThatThrownBy(() -> registry.register(subject, breaking))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("refused to register a schema under subject '" + subject + "'")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(409));
        assertThat(registry.lookup(subject, first)).isPresent();
        assertThat(registry.versions(subject)).hasSize(1);
    }

    private static SpecificRecord readOne(final String topic, final AvroDeserializer<SpecificRecord> deserializer) {
        final List<SpecificRecord> values = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "serde-it-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), deserializer)) {
            consumer.subscribe(Set.of(topic));
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.isEmpty() && System.nanoTime() < end) {
                for (final ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        assertThat(values).as("records read from %s", topic).hasSize(1);
        return values.get(0);
    }
}
