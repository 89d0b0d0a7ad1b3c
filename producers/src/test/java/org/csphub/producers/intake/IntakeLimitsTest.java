package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.csphub.feeds.RejectedRecord;
import org.csphub.producers.deadletter.DeadLetters;
import org.csphub.producers.validation.FieldLimits;
import org.csphub.producers.validation.Problems;
import org.csphub.serde.AvroSerializer;
import org.csphub.serde.InMemorySchemaRegistry;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

/**
 * The limits of a contract: a value over its limit refuses its row with the reason and the rest of the
 * file goes in, and no record the intake builds is larger than a Kafka producer sends by default.
 */
class IntakeLimitsTest {

    private static final int MIB = 1 << 20;
    /** {@code max.request.size}'s default: the largest record a producer sends unless told otherwise. */
    private static final int PRODUCER_LIMIT = (int) ProducerConfig.configDef().defaultValues()
            .get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    private final IntakeHarness harness = new IntakeHarness();

    @Test
    void shouldRefuseARowWhoseIdIsOverItsLimitAndTakeTheRestOfTheFile() {
        final String longId = "A".repeat(MIB);
        final String csv = "incident_id,reported_at,category,ward\nA1,2020-07-01,NUISANCE,Market\n" + longId
                + ",2020-07-02,PERSONAL,Abbey\n";

        final IntakeSummary summary = harness.csv(FeedCatalog.shipped().feed("police-asb"), csv);

        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(summary.rejected()).isEqualTo(1);
        assertThat(harness.onlyRejectionMessages(FeedCatalog.shipped().feed("police-asb"))).containsExactly("test.csv line 3, column 1 "
                + "(incident_id): incident_id is 1,048,576 characters; the limit is 128 characters");
    }

    @Test
    void shouldGiveEveryOtherReasonOfARowBesideAValueOverItsLimit() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,category,ward\nA1,2020-07-01,LOUD,"
                + "x".repeat(201) + "\n");

        assertThat(harness.onlyRejectionCodes(FeedCatalog.shipped().feed("police-asb"))).containsExactly("VALUE_TOO_LONG", "NOT_IN_ENUM");
    }

    @Test
    void shouldKeepTheBeginningLengthAndDigestOfARowTooLongForItsDeadLetter() {
        final String longWard = "\u20ac".repeat(MIB);
        final String row = "A1,2020-07-01,NUISANCE," + longWard;

        harness.csv(FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,category,ward\n" + row + "\n");

        final RejectedRecord deadLetter = harness.deadLetters(FeedCatalog.shipped().feed("police-asb")).get(0);
        assertThat(deadLetter.getRawText()).isEqualTo(row.substring(0, DeadLetters.RAW_TEXT_LIMIT));
        assertThat(deadLetter.getRawLength()).isEqualTo(row.length());
        assertThat(deadLetter.getRawSha256()).isEqualTo(DeadLetters.sha256(row));
        assertThat(deadLetter.getReasons()).extracting(reason -> reason.getCode())
                .containsExactly("VALUE_TOO_LONG");
    }

    @Test
    void shouldKeepTheWholeTextOfARowWithinTheLimits() {
        harness.csv(FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,category,ward\nA1,2020-07-01,LOUD,Market\n");

        final RejectedRecord deadLetter = harness.deadLetters(FeedCatalog.shipped().feed("police-asb")).get(0);
        assertThat(deadLetter.getRawText()).isEqualTo("A1,2020-07-01,LOUD,Market");
        assertThat(deadLetter.getRawLength()).isNull();
        assertThat(deadLetter.getRawSha256()).isNull();
    }

    @Test
    void shouldBuildNoRecordLargerThanAProducerSendsForTheLargestRowsTheLimitsAllow() {
        final FieldLimits limits = FieldLimits.DEFAULTS;
        // three bytes a character in UTF-8, the most a character of the basic plane takes
        final String wide = "\u20ac";
        final List<byte[]> files = new ArrayList<>();
        // every value at its limit: refused for what it says, with its whole text in the dead letter
        files.add(csv("incident_id,reported_at,category,ward,lsoa", wide.repeat(limits.id()),
                wide.repeat(limits.value()), wide.repeat(limits.value()), wide.repeat(limits.area()),
                wide.repeat(limits.area())));
        files.add(csv("referral_id,referred_on,district,strand,dash_score,risk_level,engaged,client_ref,male,"
                + "disability,lgbt", wide.repeat(limits.id()), wide.repeat(limits.value()), wide.repeat(limits.area()),
                wide.repeat(limits.value()), wide.repeat(limits.value()), wide.repeat(limits.value()),
                wide.repeat(limits.value()), wide.repeat(limits.value()), wide.repeat(limits.value()),
                wide.repeat(limits.value()), wide.repeat(limits.value())));
        // the largest accepted rows: an id at its limit, a client reference at its limit (hashed)
        files.add(csv("incident_id,reported_at,category,ward", wide.repeat(limits.id()), "2020-07-01", "NUISANCE",
                "Market"));
        files.add(csv("referral_id,referred_on,district,strand,dash_score,risk_level,engaged,client_ref,male,"
                + "disability,lgbt", wide.repeat(limits.id()), "2020-07-01", "Cambridge", "DISTRICT", "14", "", "yes",
                wide.repeat(limits.value()), "no", "no", "no"));
        // a row of hundreds of values under unnamed columns: as many reasons as can be, and a row over its limit
        final String unnamed = ",".repeat(400);
        final List<String> cells = new ArrayList<>(List.of("A1", "2020-07-01", "NUISANCE", "Market"));
        for (int i = 0; i < 400; i++) {
            cells.add(wide.repeat(limits.value()));
        }
        files.add(csv("incident_id,reported_at,category,ward" + unnamed, cells.toArray(String[]::new)));

        final Feed[] feeds = {FeedCatalog.shipped().feed("police-asb"), FeedCatalog.shipped().feed("idva-referrals"), FeedCatalog.shipped().feed("police-asb"), FeedCatalog.shipped().feed("idva-referrals"),
                FeedCatalog.shipped().feed("police-asb")};
        for (int i = 0; i < files.size(); i++) {
            final IntakeSummary summary = harness.bytes(feeds[i], files.get(i), ExportFormat.CSV);
            assertThat(summary.rowsRead()).as("file %d", i).isEqualTo(1);
        }

        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb"))).hasSize(1);
        assertThat(harness.raw(FeedCatalog.shipped().feed("idva-referrals"))).hasSize(1);
        assertThat(harness.deadLetters(FeedCatalog.shipped().feed("police-asb"))).hasSize(2);
        assertThat(harness.deadLetters(FeedCatalog.shipped().feed("police-asb")).get(1).getReasons()).hasSize(Problems.MAX_REASONS + 1);
        final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(
                InMemorySchemaRegistry.named("limits"), false);
        for (final ProducerRecord<String, GenericRecord> record : harness.producer.history()) {
            final byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
            final byte[] value = serializer.serialize(record.topic(), record.value());
            final int size = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                    Compression.NONE.type(), key, value, Record.EMPTY_HEADERS);
            assertThat(size).as("%s %s", record.topic(), record.key()).isLessThan(PRODUCER_LIMIT);
        }
    }

    private static byte[] csv(final String header, final String... values) {
        return (header + "\n" + String.join(",", values) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldStateTheDefaultLimitsOfTheContracts() {
        assertThat(FieldLimits.DEFAULTS).isEqualTo(new FieldLimits(128, 200, 4096, 65_536, Map.of()));
    }
}
