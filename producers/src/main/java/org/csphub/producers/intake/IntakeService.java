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
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
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
import org.csphub.topics.Feed;
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

    public IntakeService(final FeedAdapters adapters, final FeedPublisher publisher, final Clock clock,
            final IntakeSettings settings, final Function<Feed, FeedTopics> topics) {
        this.adapters = adapters;
        this.publisher = publisher;
        this.clock = clock;
        this.settings = settings;
        this.topics = topics;
    }

    public IntakeService(final FeedAdapters adapters, final FeedPublisher publisher, final Clock clock,
            final IntakeSettings settings) {
        this(adapters, publisher, clock, settings, FeedTopics::of);
    }

    /** The intake of the configured hub over the default geography, publishing with {@code publisher}. */
    public static IntakeService of(final HubConfig config, final FeedPublisher publisher) {
        return new IntakeService(FeedAdapters.of(config, Geography.defaults()), publisher, Clock.systemUTC(),
                IntakeSettings.from(config));
    }

    public IntakeSummary ingest(final Feed feed, final String source, final InputStream in, final ExportFormat format) {
        return ingest(feed, source, in, format, rejected -> { });
    }

    /**
     * Reads, validates and publishes one export, then waits until Kafka has every record.
     *
     * @throws PublishFailedException when Kafka did not take some records (re-sending the file is safe)
     */
    public IntakeSummary ingest(final Feed feed, final String source, final InputStream in, final ExportFormat format,
            final RejectionListener listener) {
        final FeedAdapter adapter = adapters.of(feed);
        final Run run = new Run(adapter, source, listener);
        try (ExportTable table = format == ExportFormat.XLSX ? XlsxExportReader.open(in) : CsvExportReader.open(in)) {
            final HeaderLayout layout = adapter.contract().layout(table.header(), settings.ignored(feed));
            for (Optional<TableRow> row = table.next(); row.isPresent(); row = table.next()) {
                run.take(row.get(), layout);
            }
        } catch (UnreadableExportException | HeaderRefusedException e) {
            LOG.info("Refused {} for feed {}: {}", source, feed, e.getMessage());
            return IntakeSummary.refusedWhole(feed.slug(), source, e.getMessage());
        }
        publisher.flush();
        final IntakeSummary summary = run.summary();
        LOG.info("{} ({}): {} rows read, {} accepted, {} rejected", source, feed, summary.rowsRead(),
                summary.accepted(), summary.rejected());
        return summary;
    }

    /** The state of one intake. */
    private final class Run {

        private final FeedAdapter adapter;
        private final String source;
        private final RejectionListener listener;
        private final Map<String, Long> firstLineOfId = new HashMap<>();
        private final Map<String, Long> reasonCounts = new HashMap<>();
        private final List<IntakeSummary.RejectedRow> firstRejections = new ArrayList<>();
        private long rowsRead;
        private long accepted;
        private long deletes;
        private long rejected;

        Run(final FeedAdapter adapter, final String source, final RejectionListener listener) {
            this.adapter = adapter;
            this.source = source;
            this.listener = listener;
        }

        void take(final TableRow row, final HeaderLayout layout) {
            rowsRead++;
            final Instant now = clock.instant();
            final Problems problems = new Problems(source + " line " + row.lineNumber());
            Optional<Accepted> outcome;
            try {
                outcome = evaluate(row, layout, problems, now);
            } catch (RuntimeException e) {
                // a defect in validation must cost one row, not the file
                LOG.warn("{} line {}: validation failed unexpectedly", source, row.lineNumber(), e);
                problems.add(RejectionCode.UNREADABLE_ROW, "the row could not be checked (" + e + ")");
                outcome = Optional.empty();
            }
            final FeedTopics destination = topics.apply(adapter.feed());
            if (outcome.isPresent()) {
                accepted++;
                if (outcome.get().value() == null) {
                    deletes++;
                }
                LOG.debug("{} line {}: accepted {}", source, row.lineNumber(), outcome.get().key());
                publisher.send(destination.raw(), outcome.get().key(), outcome.get().value());
            } else {
                reject(row, problems.reasons(), now, destination);
            }
        }

        private Optional<Accepted> evaluate(final TableRow row, final HeaderLayout layout, final Problems problems,
                final Instant now) {
            if (row instanceof TableRow.Unreadable unreadable) {
                problems.add(RejectionCode.UNREADABLE_ROW, unreadable.problem());
                return Optional.empty();
            }
            final List<String> values = ((TableRow.Values) row).values();
            if (values.size() != layout.width() && !(values.size() > layout.width()
                    && values.subList(layout.width(), values.size()).stream().allMatch(String::isBlank))) {
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
            final RowFields fields = new RowFields(layout, values, problems, clock);
            final Optional<String> id = fields.required(contract.idColumn());
            id.ifPresent(value -> {
                final Long first = firstLineOfId.putIfAbsent(value, row.lineNumber());
                if (first != null) {
                    fields.reject(contract.idColumn(), RejectionCode.DUPLICATE_ID, "id '" + value
                            + "' is already used on line " + first + " of this file; only the first is taken");
                }
            });
            final RowAction action = fields.choice(ExportContract.ACTION, RowAction.class, false)
                    .orElse(RowAction.UPSERT);
            if (action == RowAction.DELETE) {
                // a retraction needs only the id: the other columns may be blank
                return problems.isEmpty() ? Optional.of(new Accepted(id.get(), null)) : Optional.empty();
            }
            final Optional<SpecificRecord> record = adapter.toRecord(id.orElse(""), fields, now,
                    source + ":" + row.lineNumber());
            return record.filter(value -> problems.isEmpty()).map(value -> new Accepted(id.get(), value));
        }

        private void reject(final TableRow row, final List<RejectionReason> reasons, final Instant now,
                final FeedTopics destination) {
            rejected++;
            final RejectedRecord record = DeadLetters.recordOf(adapter.feed(), source, row.lineNumber(), row.rawText(),
                    reasons, now);
            reasons.forEach(reason -> reasonCounts.merge(reason.getCode(), 1L, Long::sum));
            if (firstRejections.size() < settings.rejectionsShown()) {
                firstRejections.add(new IntakeSummary.RejectedRow(row.lineNumber(), row.rawText(), reasons.stream()
                        .map(reason -> new IntakeSummary.Reason(reason.getColumn(), reason.getColumnNumber(),
                                reason.getCode(), reason.getMessage())).toList()));
            }
            LOG.debug("{} line {}: rejected for {} reason(s)", source, row.lineNumber(), reasons.size());
            publisher.send(destination.deadLetter(), DeadLetters.keyOf(source, row.lineNumber()), record);
            listener.rejected(record);
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

    /** A valid row: its key and its record, or {@code null} for a retraction. */
    private record Accepted(String key, SpecificRecord value) {
    }
}
