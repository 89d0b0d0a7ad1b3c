package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.serde.AvroSerializer;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class AheadEncoderTest {

    private static final String TOPIC = "csp.raw.police-asb";
    private static final Area MARKET = new Area("E05002710", "Market", "E07000008", "Cambridge", null);

    private final RecordingSchemaRegistry registry = new RecordingSchemaRegistry();
    private final AheadEncoder encoder = new AheadEncoder(new AvroSerializer<>(registry, false));
    private final Serializer<Object> serializer = encoder.serializer();

    @Test
    void shouldWriteNothingAheadUntilTheSerializerHasRegisteredTheTopicsSchema() {
        final AsbIncident first = incident("A", "Fen Ditton");
        final AsbIncident second = incident("B", "Caf\u00e9 \u2019s");

        assertThat(encoder.prepare(TOPIC, first)).isSameAs(first);
        assertThat(registry.subjects()).isEmpty();

        serializer.serialize(TOPIC, first);

        assertThat(registry.subjects()).containsExactly(TOPIC + "-value");
        assertThat(encoder.prepare("csp.raw.other", second)).isSameAs(second);
        assertThat(encoder.prepare(TOPIC, second)).isInstanceOf(AheadEncoder.Encoded.class);
        assertThat(registry.subjects()).containsExactly(TOPIC + "-value");
        assertThat(encoder.prepare(TOPIC, null)).isNull();
    }

    @Test
    void shouldWriteTheSerializersBytesForTheRecordsAndDeadLettersOfEveryFeed() {
        final AvroSerializer<GenericRecord> reference = new AvroSerializer<>(registry, false);
        final List<ProducerRecord<String, GenericRecord>> records = recordsOfEveryFeed();
        assertThat(records).extracting(ProducerRecord::topic).contains(FeedCatalog.shipped().feed("police-asb").rawTopic(),
                FeedCatalog.shipped().feed("idva-referrals").rawTopic(), FeedCatalog.shipped().feed("fire-incidents").deadLetterTopic());

        for (final ProducerRecord<String, GenericRecord> record : records) {
            if (record.value() == null) {
                continue;
            }
            serializer.serialize(record.topic(), record.value());
            final Object ahead = encoder.prepare(record.topic(), record.value());

            assertThat(ahead).isInstanceOf(AheadEncoder.Encoded.class);
            final byte[] bytes = ((AheadEncoder.Encoded) ahead).bytes();
            assertThat(bytes).as("%s", record.value()).isEqualTo(reference.serialize(record.topic(), record.value()));
            assertThat(serializer.serialize(record.topic(), ahead)).isSameAs(bytes);
        }
    }

    @Test
    void shouldLeaveARecordItCannotWriteToTheSerializerAndWriteTheNextOneWhole() {
        final AsbIncident good = incident("A", "Market");
        serializer.serialize(TOPIC, good);
        // the id and time are written before the missing category fails the record
        final AsbIncident broken = new AsbIncident("B", Instant.parse("2020-01-01T00:00:00Z"), null, MARKET,
                Instant.parse("2021-01-01T00:00:00Z"), "x.csv:3");

        assertThat(encoder.prepare(TOPIC, broken)).isSameAs(broken);

        final AsbIncident next = incident("C", "Arbury");
        final Object ahead = encoder.prepare(TOPIC, next);
        assertThat(((AheadEncoder.Encoded) ahead).bytes()).isEqualTo(new AvroSerializer<GenericRecord>(registry, false)
                .serialize(TOPIC, next));
    }

    private static AsbIncident incident(final String id, final String source) {
        return AsbIncident.newBuilder().setIncidentId(id).setReportedAt(Instant.parse("2020-07-01T21:15:00Z"))
                .setCategory(AsbCategory.NUISANCE).setArea(MARKET).setReceivedAt(Instant.parse("2021-09-01T11:00:00Z"))
                .setSource(source).build();
    }

    /** What the intake sends for a file of each feed with valid, retracted and refused rows. */
    private static List<ProducerRecord<String, GenericRecord>> recordsOfEveryFeed() {
        final IntakeHarness harness = new IntakeHarness();
        harness.csv(FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,category,ward,lsoa,action\n"
                + "A1,2020-07-01T22:15:00,NUISANCE,Market,,\nA2,01/03/2020 10:00,PERSONAL,,E01017943,\n"
                + "A3,,,,,DELETE\nA4,2020-07-02,BOGUS,Nowhere,,\n");
        harness.csv(FeedCatalog.shipped().feed("ambulance-callouts"), "callout_id,called_at,ward,lsoa,sex,age\n"
                + "C1,2020-01-04T01:30,Market,,M,34\nC2,2020-01-05,Arbury,,F,\nC3,2020-01-06,,E01017943,U,90\n");
        harness.csv(FeedCatalog.shipped().feed("idva-referrals"), "referral_id,referred_on,district,strand,dash_score,risk_level,engaged,"
                + "client_ref,male,disability,lgbt\nR1,15/05/2019,South Cambs,DISTRICT,14,,yes,CL1,no,yes,no\n"
                + "R2,2019-05-16,Pboro,A8,,HIGH,no,CL2,yes,no,no\n");
        harness.csv(FeedCatalog.shipped().feed("fire-incidents"), "incident_id,occurred_at,incident_type,cause,ward,district\n"
                + "F1,2020-02-01 10:00,SECONDARY_FIRE,DELIBERATE,,Hunts\nF2,2020-02-02,PRIMARY_FIRE,ACCIDENTAL,Arbury,\n"
                + "F3,2020-02-02,\"quoted, \"\"odd\"\" \u00e9\",ACCIDENTAL,Arbury,,\n");
        return harness.producer.history();
    }
}
