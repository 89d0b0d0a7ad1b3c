package org.csphub.producers.intake;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.csphub.config.HubConfig;
import org.csphub.feeds.RejectedRecord;
import org.csphub.feeds.RejectionReason;
import org.csphub.geography.Geography;
import org.csphub.producers.deadletter.DeadLetters;
import org.csphub.producers.feeds.FeedAdapter;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.HeaderLayout;
import org.csphub.producers.validation.HeaderRefusedException;
import org.csphub.producers.validation.Problems;
import org.csphub.producers.validation.RejectionCode;
import org.csphub.producers.validation.RowAction;
import org.csphub.producers.validation.RowFields;
import org.csphub.producers.validation.RowLimits;
import org.csphub.producers.validation.SuggestionBudget;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one partner export for one feed, from a file or an HTTP body, and publishes it: every valid
 * row to the feed's raw topic keyed by the partner's id (a {@code DELETE} row as a tombstone), every
 * other row to the dead-letter topic with all its reasons. Bad content never stops the loop: each row
 * read is either accepted or rejected. A file whose header is wrong, or that is no table at all, is
 * refused whole and nothing of it is published.
 */
public final class IntakeService {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeService.class);

    /** Told of each rejected row, e.g. to write a rejects report. */
    @FunctionalInterface
    public interface RejectionListener {
        void rejected(RejectedRecord record);
    }

    private final FeedAdapters adapters;
    private final FeedPublisher publisher;
    private final Clock clock;
    private final IntakeSettings settings;
    private final Function<Feed, FeedTopics> topics;
    private final IntakePipeline pipeline;

    /** An intake that spreads large exports over {@code pipeline}'s threads. */
    public IntakeService(final FeedAdapters adapters, final FeedPublisher publisher, final Clock clock,
            final IntakeSettings settings, final Function<Feed, FeedTopics> topics, final IntakePipeline pipeline) {
        this.adapters = adapters;
        this.publisher = publisher;
        this.clock = clock;
        this.settings = settings;
        this.topics = topics;
        this.pipeline = pipeline;
    }

    /** An intake with {@link IntakePipeline#defaults()}: a worker thread per available processor. */
    public IntakeService(final FeedAdapters adapters, final FeedPublisher publisher, final Clock clock,
            final IntakeSettings settings, final Function<Feed, FeedTopics> topics) {
        this(adapters, publisher, clock, settings, topics, IntakePipeline.defaults());
    }

    public IntakeService(final FeedAdapters adapters, final FeedPublisher publisher, final Clock clock,
            final IntakeSettings settings) {
        this(adapters, publisher, clock, settings, FeedTopics::of);
    }

    /** The intake of the configured hub over the default geography, publishing with {@code publisher}. */
    public static IntakeService of(final HubConfig config, final FeedPublisher publisher) {
        return of(config, FeedCatalog.of(config), publisher);
    }

    /** The intake of {@code catalog}'s feeds over the default geography, publishing with {@code publisher}. */
    public static IntakeService of(final HubConfig config, final FeedCatalog catalog, final FeedPublisher publisher) {
        return new IntakeService(FeedAdapters.of(config, Geography.defaults(), catalog), publisher,
                Clock.systemUTC(), IntakeSettings.from(config, catalog));
    }

    /** The feeds this intake takes. */
    public FeedCatalog catalog() {
        return adapters.catalog();
    }

    public IntakeSummary ingest(final Feed feed, final String source, final InputStream in, final ExportFormat format) {
        return ingest(feed, source, in, format, rejected -> { });
    }

    /**
     * Reads, validates and publishes one export, then waits until Kafka has every record. A large
     * export is read, checked and sent by several threads at once (see {@link IntakePipeline}); the
     * records, the dead letters, their order and the summary are those of reading the rows one by one,
     * but for one thing: past an export's first 1,000 unknown area names, which of them got their
     * nearest names depends on which worker reached them first (whether a row is rejected, and why,
     * does not).
     *
     * @throws PublishFailedException when Kafka did not take some of this export's records; its summary
     *     says which rows were stored and which were not (re-sending the file is safe)
     */
    public IntakeSummary ingest(final Feed feed, final String source, final InputStream in, final ExportFormat format,
            final RejectionListener listener) {
        final FeedAdapter adapter = adapters.of(feed);
        final Run run = new Run(adapter, source, listener, publisher.delivery());
        try (ExportTable table = format == ExportFormat.XLSX ? XlsxExportReader.open(in) : CsvExportReader.open(in)) {
            final HeaderLayout layout = adapter.contract().layout(table.header(), settings.ignored(feed));
            run.publishAll(table, layout, RowLimits.of(adapter.contract(), layout));
        } catch (UnreadableExportException | HeaderRefusedException e) {
            LOG.info("Refused {} for feed {}: {}", source, feed, e.getMessage());
            return IntakeSummary.refusedWhole(feed.slug(), source, e.getMessage());
        } catch (SendingStopped e) {
            // the rows sent so far are awaited below; the rest of the file was not sent
        }
        final IntakeSummary summary = run.delivered();
        LOG.info("{} ({}): {} rows read, {} accepted, {} rejected, {} not stored", source, feed, summary.rowsRead(),
                summary.accepted(), summary.rejected(), summary.notStored());
        if (summary.notStored() > 0 || run.firstUnsentLine >= 0) {
            final boolean retriable = summary.notStoredRows().stream().allMatch(IntakeSummary.NotStored::retriable);
            LOG.error("{} ({}): Kafka did not take {} row(s): {}", source, feed, summary.notStored(),
                    summary.notStoredRows().get(0).reason());
            throw new PublishFailedException(summary.notStored() + " row(s) of " + source + " were not stored: "
                    + summary.notStoredRows().get(0).reason(), summary, retriable);
        }
        return summary;
    }

    /** Sending stopped part-way, after a failure that every further send would meet too. */
    private static final class SendingStopped extends RuntimeException {

        SendingStopped() {
            super(null, null, false, false);
        }
    }

    /** Whether a row of {@code values} fits the header: as many fields, or more that are all blank. */
    private static boolean fitsLayout(final List<String> values, final HeaderLayout layout) {
        return values.size() == layout.width() || (values.size() > layout.width()
                && values.subList(layout.width(), values.size()).stream().allMatch(String::isBlank));
    }

    private static RuntimeException rethrow(final Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        throw (RuntimeException) failure;
    }

    /**
     * A row as read, with the line on which its id was first used when an earlier row of the file used
     * it (else -1). Ids are recorded in file order by the one reading thread, so that the later row of a
     * pair is the one rejected however the rows are spread over threads.
     */
    private record ReadRow(TableRow row, long earlierLineOfId) {
    }

    /** Rows read in a row; the last batch of a file says so, with what stopped the reading if it failed. */
    private record Batch(List<ReadRow> rows, boolean last, Throwable failure) {
    }

    /** What became of each row of a batch, in file order, and whether the file ends with it. */
    private record Examined(List<Outcome> outcomes, boolean last, Throwable failure) {
    }

    /**
     * A row checked and ready to send: accepted (its key and value, null for a retraction) or rejected
     * (its dead letter and reasons), the value written ahead where the publisher can; or the error that
     * checking it raised outside validation, raised again when the row's turn to be sent comes.
     */
    private record Outcome(long line, boolean accepted, String key, Object value, boolean retraction,
            RejectedRecord deadLetter, List<RejectionReason> reasons, String rawText, RuntimeException failure) {

        static Outcome failed(final long line, final RuntimeException failure) {
            return new Outcome(line, false, null, null, false, null, null, null, failure);
        }
    }

    /** The state of one intake. */
    private final class Run {

        private final FeedAdapter adapter;
        private final String source;
        private final RejectionListener listener;
        private final Delivery delivery;
        private final FeedTopics destination;
        private final FirstLines firstLineOfId = new FirstLines();
        private final Map<String, Long> reasonCounts = new HashMap<>();
        private final List<IntakeSummary.RejectedRow> firstRejections = new ArrayList<>();
        private long rowsRead;
        private long accepted;
        private long deletes;
        private long rejected;
        /** The line of the first row not sent, once a failure stopped the sending; else -1. */
        private long firstUnsentLine = -1;
        private RowLimits limits;
        /** Shared by the rows of this export, whichever thread checks them. */
        private final SuggestionBudget suggestions = SuggestionBudget.perExport();

        Run(final FeedAdapter adapter, final String source, final RejectionListener listener,
                final Delivery delivery) {
            this.adapter = adapter;
            this.source = source;
            this.listener = listener;
            this.delivery = delivery;
            this.destination = topics.apply(adapter.feed());
        }

        /** Reads, checks and sends every row: on this thread alone for one batch, else through the pipeline. */
        void publishAll(final ExportTable table, final HeaderLayout layout, final RowLimits rowLimits) {
            this.limits = rowLimits;
            final Batch first = readBatch(table, layout);
            if (first.last()) {
                publish(examine(first, layout));
                return;
            }
            final ExecutorService workers = Executors.newFixedThreadPool(pipeline.workers(),
                    threads(source, "worker"));
            final BlockingQueue<Future<Examined>> ahead = new ArrayBlockingQueue<>(pipeline.batchesAhead());
            final Thread reader = threads(source, "reader").newThread(() -> readAhead(first, table, layout, workers,
                    ahead));
            boolean finished = false;
            try {
                reader.start();
                for (boolean last = false; !last; ) {
                    final Examined examined = ahead.take().get();
                    publish(examined);
                    last = examined.last();
                }
                finished = true;
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            } finally {
                if (!finished) {
                    reader.interrupt();
                }
                workers.shutdownNow();
                awaitEnd(reader, workers);
            }
        }

        /** The reading thread: hands each batch to the workers, in file order, until the file ends or the intake stops. */
        private void readAhead(final Batch first, final ExportTable table, final HeaderLayout layout,
                final ExecutorService workers, final BlockingQueue<Future<Examined>> ahead) {
            try {
                for (Batch batch = first; ; batch = readBatch(table, layout)) {
                    final Batch examined = batch;
                    ahead.put(workers.submit(() -> examine(examined, layout)));
                    if (batch.last()) {
                        return;
                    }
                }
            } catch (InterruptedException | RejectedExecutionException e) {
                // the sending thread stopped, for an error it reports itself
            } catch (RuntimeException | Error e) {
                // the sending thread waits for a last batch: this one ends the file with the error
                try {
                    ahead.put(CompletableFuture.completedFuture(new Examined(List.of(), true, e)));
                } catch (InterruptedException stopped) {
                    // the sending thread stopped first
                }
            }
        }

        /** Waits until the reader and the workers have stopped (a worker finishes the batch it is on). */
        private static void awaitEnd(final Thread reader, final ExecutorService workers) {
            boolean interrupted = false;
            while (reader.isAlive() || !workers.isTerminated()) {
                try {
                    reader.join();
                    workers.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Up to a batch of rows, recording each id's first line in file order. */
        private Batch readBatch(final ExportTable table, final HeaderLayout layout) {
            final List<ReadRow> rows = new ArrayList<>(Math.min(pipeline.batchRows(), 4096));
            try {
                while (rows.size() < pipeline.batchRows()) {
                    final Optional<TableRow> row = table.next();
                    if (row.isEmpty()) {
                        return new Batch(rows, true, null);
                    }
                    rows.add(new ReadRow(row.get(), earlierLineOfId(row.get(), layout)));
                }
                return new Batch(rows, false, null);
            } catch (RuntimeException | Error e) {
                return new Batch(rows, true, e);
            }
        }

        /** The line an earlier row used this row's id on, or -1; the id is recorded as {@link #evaluate} reads it. */
        private long earlierLineOfId(final TableRow row, final HeaderLayout layout) {
            if (!(row instanceof TableRow.Values values) || !fitsLayout(values.values(), layout)) {
                return -1;
            }
            final String idColumn = adapter.contract().idColumn();
            final String id = RowFields.valueOf(layout, values.values(), idColumn);
            // an id over its limit is refused for that, and is never kept
            return id == null || id.length() > adapter.contract().limitOf(idColumn) ? -1
                    : firstLineOfId.putIfAbsent(id, row.lineNumber());
        }

        private Examined examine(final Batch batch, final HeaderLayout layout) {
            final List<Outcome> outcomes = new ArrayList<>(batch.rows().size());
            for (final ReadRow read : batch.rows()) {
                try {
                    outcomes.add(examine(read, layout));
                } catch (RuntimeException e) {
                    outcomes.add(Outcome.failed(read.row().lineNumber(), e));
                }
            }
            return new Examined(outcomes, batch.last(), batch.failure());
        }

        /** Checks one row and builds what is sent for it; safe on any thread. */
        private Outcome examine(final ReadRow read, final HeaderLayout layout) {
            final TableRow row = read.row();
            final Instant now = clock.instant();
            final Problems problems = new Problems(source, row.lineNumber());
            Optional<Accepted> outcome;
            try {
                outcome = evaluate(row, layout, problems, now, read.earlierLineOfId());
            } catch (RuntimeException e) {
                // a defect in validation must cost one row, not the file
                LOG.warn("{} line {}: validation failed unexpectedly", source, row.lineNumber(), e);
                problems.add(RejectionCode.UNREADABLE_ROW, "the row could not be checked (" + e + ")");
                outcome = Optional.empty();
            }
            if (outcome.isPresent()) {
                final GenericRecord value = outcome.get().value();
                return new Outcome(row.lineNumber(), true, outcome.get().key(),
                        publisher.prepare(destination.raw(), value), value == null, null, null, null, null);
            }
            final List<RejectionReason> reasons = problems.reasons();
            final RejectedRecord record = DeadLetters.recordOf(adapter.feed(), source, row.lineNumber(),
                    row.lastLineNumber(), row.rawText(), reasons, now);
            return new Outcome(row.lineNumber(), false, DeadLetters.keyOf(source, row.lineNumber()),
                    publisher.prepare(destination.deadLetter(), record), false, record, reasons, record.getRawText(),
                    null);
        }

        /** Sends the outcomes of a batch and counts them, on the calling thread and in file order. */
        private void publish(final Examined examined) {
            for (final Outcome outcome : examined.outcomes()) {
                publish(outcome);
            }
            if (examined.failure() != null) {
                throw rethrow(examined.failure());
            }
        }

        private void publish(final Outcome outcome) {
            if (delivery.futile()) {
                // the broker, the registry or the producer is failing: every further send would fail as well
                firstUnsentLine = outcome.line();
                throw new SendingStopped();
            }
            rowsRead++;
            if (outcome.failure() != null) {
                throw outcome.failure();
            }
            if (outcome.accepted()) {
                accepted++;
                if (outcome.retraction()) {
                    deletes++;
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} line {}: accepted {}", source, outcome.line(), outcome.key());
                }
                delivery.send(destination.raw(), outcome.key(), outcome.value(), outcome.line());
            } else {
                reject(outcome);
            }
        }

        private Optional<Accepted> evaluate(final TableRow row, final HeaderLayout layout, final Problems problems,
                final Instant now, final long earlierLineOfId) {
            if (row instanceof TableRow.Unreadable unreadable) {
                problems.add(RejectionCode.UNREADABLE_ROW, unreadable.problem());
                return Optional.empty();
            }
            final List<String> read = ((TableRow.Values) row).values();
            final List<String> values = limits.check(read, problems);
            if (!fitsLayout(values, layout)) {
                problems.add(RejectionCode.WRONG_FIELD_COUNT, "the row has " + values.size()
                        + " fields and the header " + layout.width() + " (a separator or quote out of place?)");
                return Optional.empty();
            }
            for (final int index : layout.unnamed()) {
                if (index < values.size() && !values.get(index).isBlank()) {
                    problems.add("", index + 1, RejectionCode.UNNAMED_COLUMN,
                            "a value under a column without a name; name the column or leave it empty");
                }
            }
            final ExportContract contract = adapter.contract();
            final RowFields fields = new RowFields(layout, values, problems, clock, suggestions);
            final Optional<String> id = fields.required(contract.idColumn());
            if (id.isPresent() && earlierLineOfId >= 0) {
                fields.reject(contract.idColumn(), RejectionCode.DUPLICATE_ID, "id '" + id.get()
                        + "' is already used on line " + earlierLineOfId + " of this file; only the first is taken");
            }
            final RowAction action = fields.choice(ExportContract.ACTION, RowAction.class, false)
                    .orElse(RowAction.UPSERT);
            if (action == RowAction.DELETE) {
                // a retraction needs only the id: the other columns may be blank
                return problems.isEmpty() ? Optional.of(new Accepted(id.get(), null)) : Optional.empty();
            }
            final Optional<GenericRecord> record = adapter.toRecord(id.orElse(""), fields, now,
                    source + ":" + row.lineNumber());
            return record.filter(value -> problems.isEmpty()).map(value -> new Accepted(id.get(), value));
        }

        private void reject(final Outcome outcome) {
            rejected++;
            final List<RejectionReason> reasons = outcome.reasons();
            reasons.forEach(reason -> reasonCounts.merge(reason.getCode(), 1L, Long::sum));
            if (firstRejections.size() < settings.rejectionsShown()) {
                firstRejections.add(new IntakeSummary.RejectedRow(outcome.line(), outcome.rawText(), reasons.stream()
                        .map(reason -> new IntakeSummary.Reason(reason.getColumn(), reason.getColumnNumber(),
                                reason.getCode(), reason.getMessage())).toList()));
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} line {}: rejected for {} reason(s)", source, outcome.line(), reasons.size());
            }
            delivery.send(destination.deadLetter(), outcome.key(), outcome.value(), outcome.line());
            listener.rejected(outcome.deadLetter());
        }

        /** The summary once Kafka has answered for every row sent, with the rows it did not take. */
        IntakeSummary delivered() {
            final List<Delivery.Failure> failures = delivery.await();
            final IntakeSummary summary = summary();
            if (failures.isEmpty() && firstUnsentLine < 0) {
                return summary;
            }
            final List<IntakeSummary.NotStored> rows = new ArrayList<>();
            int from = 0;
            while (from < failures.size() && rows.size() < MAX_NOT_STORED_SHOWN) {
                // consecutive lines that failed for the same reason are one entry
                int to = from;
                while (to + 1 < failures.size() && failures.get(to + 1).reason().equals(failures.get(from).reason())
                        && failures.get(to + 1).line() - failures.get(to).line() <= 1) {
                    to++;
                }
                final Delivery.Failure first = failures.get(from);
                final long last = failures.get(to).line();
                rows.add(new IntakeSummary.NotStored(first.line() == last ? Long.toString(last)
                        : first.line() + "-" + last, first.reason(), first.retriable()));
                from = to + 1;
            }
            final long rowsFailed = failures.stream().mapToLong(Delivery.Failure::line).distinct().count();
            if (firstUnsentLine >= 0) {
                final Delivery.Failure cause = failures.get(0);
                rows.add(new IntakeSummary.NotStored(firstUnsentLine + "-", "not sent, after " + cause.reason(),
                        cause.retriable()));
            }
            return summary.withNotStored(rowsFailed, rows);
        }

        IntakeSummary summary() {
            final Map<String, Long> ordered = new LinkedHashMap<>();
            reasonCounts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey())).forEach(entry -> ordered.put(entry.getKey(),
                    entry.getValue()));
            return new IntakeSummary(adapter.feed().slug(), source, null, rowsRead, accepted, deletes, rejected, ordered,
                    firstRejections);
        }
    }

    /** Entries of not-stored rows an answer lists; a broker that fails every record must not make the answer huge. */
    private static final int MAX_NOT_STORED_SHOWN = 100;

    /** Names the pipeline's threads after the file, as daemons: a stuck intake never keeps the JVM alive. */
    private static ThreadFactory threads(final String source, final String role) {
        final AtomicInteger count = new AtomicInteger();
        return task -> {
            final Thread thread = new Thread(task, "intake-" + role + "-" + count.incrementAndGet() + " (" + source + ")");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A valid row: its key and its record, or {@code null} for a retraction. */
    private record Accepted(String key, GenericRecord value) {
    }
}
