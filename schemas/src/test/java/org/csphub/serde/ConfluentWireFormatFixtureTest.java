package org.csphub.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.junit.jupiter.api.Test;

/**
 * Byte-level compatibility with the Confluent wire format, against a payload written by hand from the
 * specifications (Confluent's framing, Avro's binary encoding), not by the serde under test.
 */
class ConfluentWireFormatFixtureTest {

    /** Schema id 7, then AsbIncident encoded field by field. */
    static final String FIXTURE = String.join("",
            "00",                                   // magic byte
            "00000007",                             // schema id 7, big-endian
            "0a" + "4153422d31",                    // incident_id: length 5 (zigzag 10), "ASB-1"
            "809ff4979c5d",                         // reported_at: 1601511000000 ms, zigzag varint
            "02",                                   // category: enum index 1 = NUISANCE
            "02" + "12" + "453035303032373130",     // area.ward_code: union branch 1, length 9, "E05002710"
            "02" + "0e" + "4e65776e68616d",         // area.ward_name: union branch 1, length 7, "Newnham"
            "12" + "453037303030303038",            // area.district_code: length 9, "E07000008"
            "12" + "43616d6272696467 65".replace(" ", ""), // area.district_name: length 9, "Cambridge"
            "00",                                   // area.lsoa_code: union branch 0 = null
            "80c0e4ec9c5d",                         // received_at: 1601600000000 ms
            "00");                                  // source: union branch 0 = null

    static AsbIncident expected() {
        return AsbIncident.newBuilder()
                .setIncidentId("ASB-1")
                .setReportedAt(Instant.parse("2020-10-01T00:10:00Z"))
                .setCategory(AsbCategory.NUISANCE)
                .setArea(Area.newBuilder().setWardCode("E05002710").setWardName("Newnham")
                        .setDistrictCode("E07000008").setDistrictName("Cambridge").setLsoaCode(null).build())
                .setReceivedAt(Instant.parse("2020-10-02T00:53:20Z"))
                .setSource(null)
                .build();
    }

    /** Takes ids 1 to 6 with other schemas, so that the record's schema gets id 7 as in the fixture. */
    static void fillIdsOneToSix(final InMemorySchemaRegistry registry) {
        for (final Schema.Type type : List.of(Schema.Type.STRING, Schema.Type.BYTES, Schema.Type.INT,
                Schema.Type.LONG, Schema.Type.FLOAT, Schema.Type.DOUBLE)) {
            registry.register("filler-" + type, Schema.create(type));
        }
    }

    @Test
    void shouldDecodeAHandWrittenConfluentPayload() {
        final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        fillIdsOneToSix(registry);
        assertThat(registry.register("csp.raw.police-asb-value", AsbIncident.getClassSchema())).isEqualTo(7);
        final AvroDeserializer<AsbIncident> deserializer = new AvroDeserializer<>(registry, AsbIncident.class);

        final AsbIncident decoded = deserializer.deserialize("csp.raw.police-asb", HexFormat.of().parseHex(FIXTURE));

        assertThat(decoded).isEqualTo(expected());
    }

    @Test
    void shouldEncodeExactlyTheHandWrittenBytes() {
        final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        fillIdsOneToSix(registry);
        final AvroSerializer<AsbIncident> serializer = new AvroSerializer<>(registry, false);

        final byte[] encoded = serializer.serialize("csp.raw.police-asb", expected());

        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(FIXTURE);
    }
}
