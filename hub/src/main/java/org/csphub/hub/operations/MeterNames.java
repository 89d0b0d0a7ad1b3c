package org.csphub.hub.operations;

/**
 * The names of the hub's own meters, as Micrometer names; Prometheus shows them with underscores, and
 * counters with {@code _total} (e.g. {@code csphub.feed.rows.accepted} is scraped as
 * {@code csphub_feed_rows_accepted_total}). Dashboards and alert rules depend on them: rename none.
 */
public final class MeterNames {

    /** Counter, tag {@code feed}: rows an intake accepted (upserts and retractions). */
    public static final String ROWS_ACCEPTED = "csphub.feed.rows.accepted";
    /** Counter, tag {@code feed}: rows an intake sent to the dead-letter topic. */
    public static final String ROWS_REJECTED = "csphub.feed.rows.rejected";
    /** Counter, tag {@code feed}: bytes of partner exports received. */
    public static final String BYTES_RECEIVED = "csphub.feed.bytes.received";
    /** Counter, tag {@code feed}: exports refused whole (wrong header, not a table). */
    public static final String EXPORTS_REFUSED = "csphub.feed.exports.refused";

    /** Gauge, tag {@code feed}: event time of the newest record seen on the raw topic, in Unix seconds. */
    public static final String NEWEST_EVENT = "csphub.feed.newest.event.timestamp.seconds";
    /** Gauge, tag {@code feed}: when the hub accepted the newest record of the raw topic, in Unix seconds. */
    public static final String LAST_RECEIVED = "csphub.feed.last.received.timestamp.seconds";
    /** Gauge, tag {@code feed}: the configured freshness expectation, in seconds. */
    public static final String FRESHNESS_EXPECTATION = "csphub.feed.freshness.expectation.seconds";
    /** Gauge, tag {@code feed}: 1 when the newest record received is older than the expectation (or none came), else 0. */
    public static final String STALE = "csphub.feed.stale";
    /** Gauge, tag {@code feed}: records held by the feed's dead-letter topic. */
    public static final String DEAD_LETTERS = "csphub.feed.dead.letters";

    /** Gauge, tags {@code group}, {@code topic}, {@code partition}: end offset minus the group's committed offset. */
    public static final String CONSUMER_LAG = "csphub.consumer.lag";
    /** Counter, tag {@code group}: records the group has committed past (its rate is records processed per second). */
    public static final String CONSUMER_COMMITTED = "csphub.consumer.records.committed";
    /** Timer (histogram), tag {@code topic}: record appended to a raw topic until its metric reached a metric topic. */
    public static final String END_TO_END_LATENCY = "csphub.topology.end.to.end.latency";

    /** Counter, tag {@code sink}: records a sink has written. */
    public static final String SINK_RECORDS_WRITTEN = "csphub.sink.records.written";
    /** Gauge, tag {@code sink}: when the sink last wrote, in Unix seconds (NaN before its first write). */
    public static final String SINK_LAST_WRITE = "csphub.sink.last.write.timestamp.seconds";
    /**
     * Gauge, tags {@code sink}, {@code topic}, {@code partition}: the metric topic's read_committed end
     * offset minus the next offset the sink has stored with its rows (0 when it has caught up).
     */
    public static final String SINK_LAG = "csphub.sink.lag.records";
    /** Gauge, tag {@code sink}: {@link #SINK_LAG} summed over the sink's partitions (NaN while its positions are not known). */
    public static final String SINK_LAG_TOTAL = "csphub.sink.lag.total.records";

    /** Counter, tag {@code monitor}: refreshes of a monitor that failed (the broker or registry did not answer). */
    public static final String MONITOR_FAILURES = "csphub.monitor.refresh.failures";

    private MeterNames() {
    }
}
