package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.config.HubConfig;
import org.csphub.feeds.RejectedRecord;
import org.csphub.feeds.RejectionReason;
import org.csphub.geography.Geography;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.serde.AvroSerializer;
import org.csphub.serde.InMemorySchemaRegistry;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;

/**
 * A file spread over batches and worker threads gives what reading it row by row gives: the same
 * records and dead letters in the same order, the same duplicate ids rejected with the same lines and
 * reasons, the same summary, the same rows told to the listener.
 */
class IntakePipelineTest {

    private static final Instant NOW = Instant.parse("2021-09-01T11:00:00Z");
    private static final Geography GEOGRAPHY = Geography.defaults();
    private static final List<String> WARDS = List.of("Market", "Arbury", "King's Hedges", "castle", "Nowhere");
    private static final Pattern EARLIER_LINE = Pattern.compile(".*already used on line (\\d+) of this file.*");
    private static final int ROWS = 400;
    private static final byte[] EXPORT = export(ROWS);

    @Test
    void shouldPublishTheSameRecordsInTheSameOrderWhateverTheBatchesAndWorkers() {
        final Outcome oneBatch = ingest(new IntakePipeline(2, 1000), EXPORT, "pipeline-a.csv");

        for (final IntakePipeline pipeline : List.of(new IntakePipeline(1, 1), new IntakePipeline(2, 7),
                new IntakePipeline(3, 64))) {
            final Outcome batched = ingest(pipeline, EXPORT, "pipeline-a.csv");

            assertThat(batched.sent()).as("%s", pipeline).isEqualTo(oneBatch.sent());
            assertThat(batched.summary()).as("%s", pipeline).isEqualTo(oneBatch.summary());
            assertThat(batched.heard()).as("%s", pipeline).isEqualTo(oneBatch.heard());
            // the rows were checked on the worker threads, not on the calling thread
            assertThat(batched.checkedOn()).as("%s", pipeline).isNotEmpty()
                    .allMatch(name -> name.startsWith("intake-worker-"));
        }
        assertThat(oneBatch.checkedOn()).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void shouldRejectTheLaterRowOfADuplicateIdAcrossBatchBoundaries() {
        final Outcome batched = ingest(new IntakePipeline(2, 7), EXPORT, "pipeline-b.csv");

        assertThat(batched.summary().rowsRead()).isEqualTo(ROWS);
        assertThat(batched.summary().accepted() + batched.summary().rejected()).isEqualTo(ROWS);
        assertThat(batched.summary().accepted()).isPositive();
        assertThat(batched.summary().deletes()).isPositive();
        final List<long[]> duplicates = new ArrayList<>();
        for (final RejectedRecord dead : batched.heard()) {
            for (final RejectionReason reason : dead.getReasons()) {
                final Matcher earlier = EARLIER_LINE.matcher(reason.getMessage());
                if (reason.getCode().equals("DUPLICATE_ID") && earlier.matches()) {
                    duplicates.add(new long[] {Long.parseLong(earlier.group(1)), dead.getLineNumber()});
                }
            }
        }
        // the export's rows are one line each from line 2, so a batch of 7 holds lines 2-8, 9-15, ...
        assertThat(duplicates).anyMatch(pair -> (pair[0] - 2) / 7 != (pair[1] - 2) / 7);
        assertThat(duplicates).allMatch(pair -> pair[0] < pair[1]);
        // the line named is the id's first row with all its fields (a row with too few is not checked)
        final String text = new String(EXPORT, StandardCharsets.UTF_8);
        final List<String[]> lines = List.of(text.split("\n")).stream().map(line -> line.split(",", -1)).toList();
        for (final long[] pair : duplicates) {
            final String id = lines.get((int) pair[1] - 1)[0];
            assertThat(lines.get((int) pair[0] - 1)[0]).isEqualTo(id);
            assertThat(lines.subList(1, (int) pair[0] - 1)).noneMatch(fields -> fields.length == 5
                    && fields[0].equals(id));
        }
    }

    @Test
    void shouldStopEveryThreadAndFailAtTheSameRowAsRowByRowWhenASendFails() {
        final Outcome complete = ingest(new IntakePipeline(2, 1000), EXPORT, "pipeline-c.csv");
        final int failingSend = 150;
        final MockProducer<String, GenericRecord> failing = new MockProducer<>(true, null, new StringSerializer(),
                serializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(final ProducerRecord<String, GenericRecord> record,
                    final Callback callback) {
                if (history().size() == failingSend) {
                    throw new KafkaException("the broker went away");
                }
                return super.send(record, callback);
            }
        };

        assertThatThrownBy(() -> ingest(failing, new IntakePipeline(2, 7), EXPORT, "pipeline-c.csv", ExportFormat.CSV))
                .isInstanceOfSatisfying(PublishFailedException.class, failure -> {
                    final IntakeSummary summary = failure.summary().orElseThrow();
                    assertThat(summary.notStored()).isEqualTo(1);
                    assertThat(summary.stored()).isEqualTo(failingSend);
                    assertThat(summary.notStoredRows()).extracting(IntakeSummary.NotStored::lines)
                            .containsExactly(Long.toString(summary.rowsRead() + 1), (summary.rowsRead() + 2) + "-");
                    assertThat(summary.notStoredRows()).extracting(IntakeSummary.NotStored::reason).containsExactly(
                            "KafkaException: the broker went away", "not sent, after KafkaException: the broker went away");
                });

        assertThat(sent(failing)).isEqualTo(complete.sent().subList(0, failingSend));
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.isAlive()
                && thread.getName().startsWith("intake-") && thread.getName().contains("pipeline-c.csv"));
    }

    @Test
    void shouldNameTheFirstLineOfAnIdUsedAgainInTheNextBatch() {
        final String text = "incident_id,reported_at,category,ward\nA,2020-01-01,NUISANCE,Market\n"
                + "A,2020-01-02,PERSONAL,Market\nB,2020-13-01,NUISANCE,Market\n";

        final Outcome outcome = ingest(new IntakePipeline(2, 1), text.getBytes(StandardCharsets.UTF_8),
                "pipeline-d.csv");

        assertThat(outcome.summary().accepted()).isEqualTo(1);
        assertThat(outcome.heard()).extracting(RejectedRecord::getLineNumber).containsExactly(3L, 4L);
        assertThat(outcome.heard().get(0).getReasons()).extracting(RejectionReason::getMessage)
                .containsExactly("pipeline-d.csv line 3, column 1 (incident_id): id 'A' is already used on line 2 "
                        + "of this file; only the first is taken");
        assertThat(outcome.sent()).extracting(Sent::key).containsExactly("A", "pipeline-d.csv:3", "pipeline-d.csv:4");
    }

    @Test
    void shouldReadAWorkbookOnTheReaderThreadAsOnTheCallingThread() throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<String> rows = List.of(new String(EXPORT, StandardCharsets.UTF_8).split("\n")).subList(0, 60);
        try (Workbook workbook = new Workbook(out, "test", "1.0")) {
            final Worksheet sheet = workbook.newWorksheet("ASB");
            for (int r = 0; r < rows.size(); r++) {
                final String[] cells = rows.get(r).split(",", -1);
                for (int c = 0; c < cells.length; c++) {
                    sheet.value(r, c, cells[c]);
                }
            }
        }
        final Outcome oneBatch = ingest(new IntakePipeline(2, 1000), out.toByteArray(), "pipeline-e.xlsx",
                ExportFormat.XLSX);

        final Outcome batched = ingest(new IntakePipeline(2, 5), out.toByteArray(), "pipeline-e.xlsx",
                ExportFormat.XLSX);

        assertThat(oneBatch.summary().rowsRead()).isEqualTo(rows.size() - 1);
        assertThat(oneBatch.summary().accepted()).isPositive();
        assertThat(batched.sent()).isEqualTo(oneBatch.sent());
        assertThat(batched.summary()).isEqualTo(oneBatch.summary());
        assertThat(batched.checkedOn()).isNotEmpty().allMatch(name -> name.startsWith("intake-worker-"));
    }

    /** What one intake of the export sent, reported and told its listener, and where it checked rows. */
    private record Outcome(List<Sent> sent, IntakeSummary summary, List<RejectedRecord> heard, Set<String> checkedOn) {
    }

    private record Sent(String topic, String key, GenericRecord value) {
    }

    private static Outcome ingest(final IntakePipeline pipeline, final byte[] export, final String source) {
        return ingest(pipeline, export, source, ExportFormat.CSV);
    }

    private static Outcome ingest(final IntakePipeline pipeline, final byte[] export, final String source,
            final ExportFormat format) {
        final MockProducer<String, GenericRecord> producer = new MockProducer<>(true, null, new StringSerializer(),
                serializer());
        return ingest(producer, pipeline, export, source, format);
    }

    private static Outcome ingest(final MockProducer<String, GenericRecord> producer, final IntakePipeline pipeline,
            final byte[] export, final String source, final ExportFormat format) {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.IDVA_CLIENT_KEY,
                IntakeHarness.IDVA_KEY, HubConfig.INTAKE_SUMMARY_REJECTIONS, String.valueOf(ROWS)));
        final ThreadsClock clock = new ThreadsClock();
        final IntakeService intake = new IntakeService(FeedAdapters.of(config, GEOGRAPHY), new FeedPublisher(producer),
                clock, IntakeSettings.from(config), FeedTopics::of, pipeline);
        final List<RejectedRecord> heard = new ArrayList<>();
        final IntakeSummary summary = intake.ingest(FeedCatalog.shipped().feed("police-asb"), source, new ByteArrayInputStream(export),
                format, heard::add);
        return new Outcome(sent(producer), summary, heard, Set.copyOf(clock.threads));
    }

    private static List<Sent> sent(final MockProducer<String, GenericRecord> producer) {
        return producer.history().stream().map(record -> new Sent(record.topic(), record.key(), record.value()))
                .toList();
    }

    private static AvroSerializer<GenericRecord> serializer() {
        return new AvroSerializer<>(InMemorySchemaRegistry.named("producers-pipeline"), false);
    }

    /**
     * A police export with every kind of row, ids drawn from a pool smaller than the file so that
     * duplicates fall at every distance: valid rows, retractions, a missing id, bad and future dates,
     * unknown categories and wards, rows with too few fields.
     */
    private static byte[] export(final int rows) {
        final Random random = new Random(20210901L);
        final StringBuilder csv = new StringBuilder("incident_id,reported_at,category,ward,action\n");
        for (int i = 0; i < rows; i++) {
            String id = "A" + random.nextInt(rows * 2 / 3);
            String date = "2020-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10)
                    + (random.nextBoolean() ? "" : "T2" + random.nextInt(4) + ":15");
            String category = random.nextBoolean() ? "NUISANCE" : "personal";
            String ward = WARDS.get(random.nextInt(WARDS.size() - 1));
            String action = "";
            switch (random.nextInt(16)) {
                case 0 -> id = "";
                case 1 -> date = "2020-13-01";
                case 2 -> date = "2031-01-01";
                case 3 -> category = "BOGUS";
                case 4 -> {
                    // one date: finding the nearest names of an unknown ward is slow, and kept per name and date
                    date = "2020-05-05";
                    ward = WARDS.get(WARDS.size() - 1);
                }
                case 5 -> {
                    date = "";
                    category = "";
                    ward = "";
                    action = "DELETE";
                }
                case 6 -> {
                    csv.append(id).append(',').append(date).append(",NUISANCE\n");
                    continue;
                }
                case 7 -> action = "upsert";
                default -> {
                    // a valid row
                }
            }
            csv.append(String.join(",", id, date, category, ward, action)).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The fixed moment, noting the threads that asked for it: rows are checked where the clock is read. */
    private static final class ThreadsClock extends Clock {

        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return Clock.fixed(NOW, zone);
        }

        @Override
        public Instant instant() {
            threads.add(Thread.currentThread().getName());
            return NOW;
        }
    }
}
