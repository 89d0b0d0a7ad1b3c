package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.csphub.feeds.RejectedRecord;
import org.csphub.producers.fuzzing.CampaignCheck;
import org.csphub.serde.AvroSerializer;
import org.csphub.serde.InMemorySchemaRegistry;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * Coverage-guided fuzz targets of the partner-file readers and of the whole intake (over a mock
 * producer). {@code mvn verify} runs each over its seed inputs in
 * {@code src/test/resources/org/csphub/producers/intake/ExportFuzzTestInputs/<method>/} (valid exports,
 * damaged ones, and the cases the HTTP campaign found); with {@code JAZZER_FUZZ=1} in the environment
 * Jazzer mutates them for as long as it is let run (see docs/feeds.md, "Fuzzing the intake").
 */
class ExportFuzzTest {

    /** One input must be done with well within this; a bound on a hang, not a measure of speed. */
    private static final Duration PER_INPUT = Duration.ofSeconds(10);
    private static final IntakeHarness HARNESS = new IntakeHarness();
    private static final AvroSerializer<GenericRecord> SIZES = new AvroSerializer<>(
            InMemorySchemaRegistry.named("producers-unit"), false);

    /**
     * The CSV reader refuses a file whole or reads it to its end without throwing; its rows come in
     * strictly increasing line order, no more rows than lines; a stretch it cannot read keeps its text.
     */
    @FuzzTest
    void shouldReadAnyCsvBytesIntoRowsInLineOrder(final byte[] file) {
        final Optional<List<TableRow>> rows = readAll(file, ExportFormat.CSV);
        if (rows.isEmpty()) {
            return;
        }
        assertLinesIncrease(rows.get(), 2);
        assertThat((long) rows.get().size()).as("rows read from %d line break(s)", lineBreaks(file))
                .isLessThanOrEqualTo(lineBreaks(file) + 1);
        assertThat(rows.get()).filteredOn(TableRow.Unreadable.class::isInstance)
                .allSatisfy(row -> assertThat(row.rawText()).as("text of the stretch at line %d", row.lineNumber())
                        .isNotEmpty());
    }

    /** The XLSX reader refuses a file whole or reads it to its end without throwing, its rows in sheet order. */
    @FuzzTest
    void shouldReadAnyXlsxBytesIntoRowsInSheetOrder(final byte[] file) {
        readAll(file, ExportFormat.XLSX).ifPresent(rows -> assertLinesIncrease(rows, 2));
    }

    /**
     * The whole intake, any feed, CSV or XLSX (the first byte chooses: feed = byte % 4, XLSX when bit 2 is
     * set; the rest is the file): it never throws; accepted + rejected = rows read; each row read gives
     * exactly one record, raw or dead letter, in line order; an unreadable stretch's dead letter keeps its
     * text; no record is larger than the producer's request size.
     */
    @FuzzTest
    void shouldAccountForEveryRowOfAnyExport(final byte[] input) {
        if (input.length == 0) {
            return;
        }
        final Feed feed = FeedCatalog.shipped().feeds().get((input[0] & 0xFF) % FeedCatalog.shipped().feeds().size());
        final ExportFormat format = (input[0] & 4) != 0 ? ExportFormat.XLSX : ExportFormat.CSV;
        final byte[] file = Arrays.copyOfRange(input, 1, input.length);
        HARNESS.producer.clear();

        final IntakeSummary summary = withinBound(() -> HARNESS.bytes(feed, file, format));

        assertThat(summary.accepted() + summary.rejected()).as("accepted + rejected").isEqualTo(summary.rowsRead());
        final List<ProducerRecord<String, GenericRecord>> records = HARNESS.producer.history();
        assertThat(records).as("records sent").hasSize((int) summary.rowsRead());
        assertThat(HARNESS.raw(feed)).as("raw records").hasSize((int) summary.accepted());
        assertThat(HARNESS.deadLetters(feed)).as("dead letters").hasSize((int) summary.rejected());
        final List<Long> lines = new ArrayList<>();
        for (final ProducerRecord<String, GenericRecord> record : records) {
            final int bytes = (record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length)
                    + (record.value() == null ? 0 : SIZES.serialize(record.topic(), record.value()).length);
            assertThat(bytes).as("size of the record keyed %.60s", record.key())
                    .isLessThanOrEqualTo(CampaignCheck.MAX_REQUEST_BYTES);
            lineOf(record).ifPresent(lines::add);
        }
        assertThat(lines).as("the lines of the records, in the order sent").isSorted().doesNotHaveDuplicates();
        if (format == ExportFormat.CSV) {
            assertThat(HARNESS.deadLetters(feed)).filteredOn(dead -> dead.getReasons().stream()
                    .anyMatch(reason -> reason.getCode().equals("UNREADABLE_ROW")))
                    .allSatisfy(dead -> assertThat(dead.getRawText()).as("text of the stretch at line %d",
                            dead.getLineNumber()).isNotEmpty());
        }
    }

    /** The rows of {@code file}, or empty when the reader refuses it whole (the one exception allowed). */
    private static Optional<List<TableRow>> readAll(final byte[] file, final ExportFormat format) {
        return withinBound(() -> {
            final ExportTable table;
            try {
                table = format == ExportFormat.XLSX ? XlsxExportReader.open(new ByteArrayInputStream(file))
                        : CsvExportReader.open(new ByteArrayInputStream(file));
            } catch (UnreadableExportException refused) {
                return Optional.empty();
            }
            final List<TableRow> rows = new ArrayList<>();
            try (table) {
                for (Optional<TableRow> row = table.next(); row.isPresent(); row = table.next()) {
                    rows.add(row.get());
                    if (rows.size() > file.length + 1) {
                        fail("more rows than bytes: the reader does not end");
                    }
                }
                assertThat(table.next()).as("a row after the end").isEmpty();
            }
            return Optional.of(rows);
        });
    }

    private static void assertLinesIncrease(final List<TableRow> rows, final long first) {
        long previous = first - 1;
        for (final TableRow row : rows) {
            assertThat(row.lineNumber()).as("line of %s after line %d", describe(row), previous)
                    .isGreaterThan(previous);
            previous = row.lineNumber();
        }
    }

    private static String describe(final TableRow row) {
        return row instanceof TableRow.Unreadable unreadable ? "an unreadable stretch (" + unreadable.problem() + ")"
                : "a row";
    }

    private static long lineBreaks(final byte[] file) {
        long breaks = 0;
        for (final byte b : file) {
            breaks += b == '\n' || b == '\r' ? 1 : 0;
        }
        return breaks;
    }

    /** The line a record stands for: a dead letter's line number, a raw record's from its source. */
    private static Optional<Long> lineOf(final ProducerRecord<String, GenericRecord> record) {
        if (record.value() instanceof RejectedRecord dead) {
            return Optional.ofNullable(dead.getLineNumber());
        }
        if (record.value() == null) {
            return Optional.empty();
        }
        final Object source = record.value().get(record.value().getSchema().getField("source").pos());
        final String text = String.valueOf(source);
        return Optional.of(Long.parseLong(text.substring(text.lastIndexOf(':') + 1)));
    }

    /** The work's result; fails when it took longer than {@link #PER_INPUT} (it is not stopped early). */
    private static <T> T withinBound(final ThrowingSupplier<T> work) {
        return assertTimeout(PER_INPUT, work, () -> "one input took longer than " + PER_INPUT);
    }
}
