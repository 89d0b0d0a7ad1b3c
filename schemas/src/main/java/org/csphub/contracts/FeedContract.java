package org.csphub.contracts;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.csphub.disclosure.FeedDisclosure;
import org.csphub.topics.Topics;

/**
 * One feed as its contract file declares it: who owns it, how fresh it should be, the record it
 * produces, its export columns, their size limits and its metric family. Built only by
 * {@link FeedContractReader}, which has checked that every name the file uses refers to something.
 *
 * @param slug      the feed's name in topics, URLs and folders, e.g. {@code police-asb}
 * @param title     what the feed is, for people
 * @param owner     the agency that publishes it, as the access file names the agency
 * @param freshness how long after the last record the feed counts as stale
 * @param record    the Avro record the feed's rows become
 * @param columns   the export's columns in the order of the record's fields
 * @param limits    how long a value and a row may be
 * @param family    the metrics the feed's records make
 * @param disclosure how the feed's published counts are protected; empty: the hub's configured threshold
 *                  ({@code disclosure.threshold}) for every count
 * @param report    the feed's sections of the Strategic Assessment (usually one); empty: the feed has none
 */
public record FeedContract(String slug, String title, String owner, Duration freshness, RecordName record,
        List<Column> columns, Limits limits, FamilySpec family, Optional<FeedDisclosure> disclosure,
        List<ReportSpec> report) {

    public FeedContract {
        columns = List.copyOf(columns);
        report = List.copyOf(report);
    }

    /** A feed without a section in the report. */
    public FeedContract(final String slug, final String title, final String owner, final Duration freshness,
            final RecordName record, final List<Column> columns, final Limits limits, final FamilySpec family,
            final Optional<FeedDisclosure> disclosure) {
        this(slug, title, owner, freshness, record, columns, limits, family, disclosure, List.of());
    }

    /** The Avro record's name, namespace and documentation. */
    public record RecordName(String name, String namespace, String doc) {
    }

    /** The raw topic, {@code csp.raw.<slug>}, keyed by the id column. */
    public String rawTopic() {
        return Topics.RAW_PREFIX + slug;
    }

    /** The dead-letter topic, {@code csp.dlq.<slug>}. */
    public String deadLetterTopic() {
        return Topics.DLQ_PREFIX + slug;
    }

    /** The id column: the Kafka key and what a correction replaces by. */
    public Column idColumn() {
        return columns.stream().filter(column -> column.type() instanceof ColumnType.Id).findFirst().orElseThrow();
    }

    public Optional<Column> column(final String name) {
        return columns.stream().filter(column -> column.name().equals(name)).findFirst();
    }

    /** The raw record's Avro schema, generated from the columns. */
    public Schema avroSchema() {
        return ContractSchemas.recordOf(this);
    }
}
