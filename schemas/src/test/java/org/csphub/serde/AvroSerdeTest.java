package org.csphub.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.IdvaStrand;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    static IdvaReferral referral() {
        return IdvaReferral.newBuilder()
                .setReferralId("R-1")
                .setReferredOn(LocalDate.of(2019, 4, 2))
                .setArea(Area.newBuilder().setDistrictCode("E07000011").setDistrictName("Huntingdonshire").build())
                .setStrand(IdvaStrand.DISTRICT)
                .setDashScore(15)
                .setRiskLevel(RiskLevel.HIGH)
                .setEngaged(true)
                .setClientHash("9f2c")
                .setMale(false)
                .setDisability(true)
                .setLgbt(false)
                .setReceivedAt(Instant.parse("2019-04-03T09:00:00Z"))
                .setSource("idva.csv:2")
                .build();
    }

    @Test
    void shouldRoundTripASpecificRecordAndRegisterItUnderTheValueSubject() {
        final AvroSerde<IdvaReferral> serde = new AvroSerde<>(IdvaReferral.class, registry, false);

        final byte[] bytes = serde.serializer().serialize("csp.raw.idva-referrals", referral());

        assertThat(serde.deserializer().deserialize("csp.raw.idva-referrals", bytes)).isEqualTo(referral());
        assertThat(registry.subjects()).containsExactly("csp.raw.idva-referrals-value");
        assertThat(bytes[0]).isZero();
    }

    @Test
    void shouldRegisterKeysUnderTheKeySubject() {
        final AvroSerde<AreaMetricKey> serde = new AvroSerde<>(AreaMetricKey.class, registry, true);
        final AreaMetricKey key = AreaMetricKey.newBuilder().setMetric("asb.incidents").setAreaType(AreaType.WARD)
                .setAreaCode("E05002710").setPeriodType(PeriodType.MONTH).setPeriod("2020-09").build();

        final byte[] bytes = serde.serializer().serialize("csp.metrics.asb", key);

        assertThat(serde.deserializer().deserialize("csp.metrics.asb", bytes)).isEqualTo(key);
        assertThat(registry.subjects()).containsExactly("csp.metrics.asb-key");
    }

    @Test
    void shouldKeepTombstonesNull() {
        final AvroSerde<IdvaReferral> serde = new AvroSerde<>(IdvaReferral.class, registry, false);

        assertThat(serde.serializer().serialize("csp.raw.idva-referrals", null)).isNull();
        assertThat(serde.deserializer().deserialize("csp.raw.idva-referrals", null)).isNull();
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderCompatibleSchema() {
        final Schema older = SchemaBuilder.record("AreaMetricKey").namespace("org.csphub.metrics").fields()
                .requiredString("metric")
                .name("area_type").type(AreaType.getClassSchema()).noDefault()
                .requiredString("area_code")
                .name("period_type").type(PeriodType.getClassSchema()).noDefault()
                .requiredString("period")
                .endRecord();
        final GenericRecord written = new GenericData.Record(older);
        written.put("metric", "fire.fires");
        written.put("area_type", new GenericData.EnumSymbol(AreaType.getClassSchema(), "CSP"));
        written.put("area_code", "cambridgeshire-and-peterborough");
        written.put("period_type", new GenericData.EnumSymbol(PeriodType.getClassSchema(), "FINANCIAL_YEAR"));
        written.put("period", "2020/21");
        final byte[] bytes = new AvroSerializer<GenericRecord>(registry, true).serialize("csp.metrics.fire", written);

        final AreaMetricKey read = new AvroDeserializer<AreaMetricKey>(registry, AreaMetricKey.class)
                .deserialize("csp.metrics.fire", bytes);

        assertThat(read).isEqualTo(AreaMetricKey.newBuilder().setMetric("fire.fires").setDimension(null)
                .setDimensionValue(null).setAreaType(AreaType.CSP).setAreaCode("cambridgeshire-and-peterborough")
                .setPeriodType(PeriodType.FINANCIAL_YEAR).setPeriod("2020/21").build());
    }

    @Test
    void shouldReadAGenericRecordAsItsReaderSchemaWhateverCompatibleSchemaWroteIt() {
        final Schema older = SchemaBuilder.record("Find").namespace("org.example").fields()
                .requiredString("find_id").requiredInt("needles").endRecord();
        final Schema newer = SchemaBuilder.record("Find").namespace("org.example").fields()
                .requiredString("find_id").requiredInt("needles")
                .name("cleared").type().booleanType().booleanDefault(false).endRecord();
        final GenericRecord written = new GenericData.Record(older);
        written.put("find_id", "N1");
        written.put("needles", 7);
        final byte[] bytes = new AvroSerializer<GenericRecord>(registry, false).serialize("csp.raw.needle-finds", written);
        final var serde = AvroSerde.generic(newer, Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mem://generic-serde-test"),
                false);
        final var deserializer = AvroDeserializer.generic(newer);
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mem://generic-serde-test"), false);
        final byte[] again = serde.serializer().serialize("csp.raw.needle-finds", written);

        final GenericRecord read = deserializer.deserialize("csp.raw.needle-finds", again);

        assertThat(read.getSchema()).isEqualTo(newer);
        assertThat(read.get("find_id").toString()).isEqualTo("N1");
        assertThat(read.get("needles")).isEqualTo(7);
        assertThat(read.get("cleared")).isEqualTo(false);
        assertThat(new AvroDeserializer<GenericRecord>(registry, null).deserialize("csp.raw.needle-finds", bytes)
                .getSchema()).as("without a reader schema, the writer's").isEqualTo(older);
        assertThatThrownBy(() -> {
            final var strict = AvroDeserializer.generic(SchemaBuilder.record("Find").namespace("org.example")
                    .fields().requiredString("find_id").requiredString("place").endRecord());
            strict.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mem://generic-serde-test"), false);
            strict.deserialize("csp.raw.needle-finds", again);
        }).isInstanceOf(SerializationException.class).hasMessageContaining("cannot be read as org.example.Find");
    }

    @Test
    void shouldNameTheTopicAndTheMagicByteWhenThePayloadIsNotConfluentFormat() {
        final AvroDeserializer<IdvaReferral> deserializer = new AvroDeserializer<>(registry, IdvaReferral.class);

        assertThatThrownBy(() -> deserializer.deserialize("csp.raw.idva-referrals",
                "{\"referral_id\":\"R-1\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'csp.raw.idva-referrals'")
                .hasMessageContaining("first byte is 0x7b")
                .hasMessageContaining("magic byte 0x00")
                .hasMessageContaining("looks like JSON");
    }

    @Test
    void shouldNameTheHeaderWhenThePayloadIsTooShort() {
        final AvroDeserializer<IdvaReferral> deserializer = new AvroDeserializer<>(registry, IdvaReferral.class);

        assertThatThrownBy(() -> deserializer.deserialize("csp.raw.idva-referrals", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes is shorter than the Confluent wire format's 5-byte header");
    }

    @Test
    void shouldNameAnUnknownSchemaId() {
        final AvroDeserializer<IdvaReferral> deserializer = new AvroDeserializer<>(registry, IdvaReferral.class);

        assertThatThrownBy(() -> deserializer.deserialize("csp.raw.idva-referrals", new byte[] {0, 0, 0, 0, 42, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'csp.raw.idva-referrals'")
                .hasMessageContaining("schema id 42")
                .hasMessageContaining("not found");
    }

    @Test
    void shouldRefuseAWriterSchemaTheTargetClassCannotRead() {
        final Schema unrelated = SchemaBuilder.record("Other").fields().requiredInt("n").endRecord();
        final GenericRecord other = new GenericData.Record(unrelated);
        other.put("n", 1);
        final byte[] bytes = new AvroSerializer<GenericRecord>(registry, false).serialize("t", other);

        assertThatThrownBy(() -> new AvroDeserializer<IdvaReferral>(registry, IdvaReferral.class).deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read as org.csphub.feeds.idva.IdvaReferral");
    }

    @Test
    void shouldBeConfiguredFromKafkaClientProperties() {
        final Map<String, Object> configs = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mem://serde-config-test");
        final var serde = AvroSerde.of(IdvaReferral.class, configs, false);

        final byte[] bytes = serde.serializer().serialize("csp.raw.idva-referrals", referral());

        assertThat(InMemorySchemaRegistry.named("serde-config-test").subjects())
                .containsExactly("csp.raw.idva-referrals-value");
        assertThat(serde.deserializer().deserialize("csp.raw.idva-referrals", bytes)).isEqualTo(referral());
    }

    @Test
    void shouldExplainAMissingRegistryUrl() {
        assertThatThrownBy(() -> AvroSerde.of(IdvaReferral.class, Map.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.url");
    }
}
