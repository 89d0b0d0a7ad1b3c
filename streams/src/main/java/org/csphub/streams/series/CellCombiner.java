package org.csphub.streams.series;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A family's first stage: the versions of its raw records, keyed by record id, summed into cells
 * (one month, one area, one value of every breakdown) before anything leaves the task. Each task
 * keeps the current contribution of every record of its partition (so a correction takes the old
 * version away and a tombstone retracts it) and, in memory, the sum of each cell; it passes on what
 * each changed cell's sum moved by since it last passed it on (a signed {@link #change}, keyed by
 * the cell), as {@link Coalescing} decides. So a backlog of a million records leaves the task as a
 * few thousand cell changes instead of a million records, and every later stage works per cell.
 *
 * <p>The sums last passed on are kept in a second store, written in the same transaction as the
 * changes sent (the application runs exactly-once), so each change is counted once downstream. The
 * cells in memory are rebuilt from the record store when the task starts and compared with those
 * sums, so what a crash interrupted between two hand-overs goes on again.
 */
public final class CellCombiner implements Processor<String, Contribution, String, Contribution> {

    private static final Logger LOG = LoggerFactory.getLogger(CellCombiner.class);
    /** A hand-over at least this large is logged: a backlog or burst was coalesced. */
    private static final int LOGGED_HAND_OVER = 1000;
    private static final char SEPARATOR = '|';

    private final String recordStoreName;
    private final String passedStoreName;
    private ProcessorContext<String, Contribution> context;
    private KeyValueStore<String, Contribution> records;
    private KeyValueStore<String, Contribution> passed;
    private Map<String, Contribution> cells;
    private Map<String, Long> changed;
    private Coalescing coalescing;
    private HoldMetric holdMetric;
    private String name;

    /**
     * @param recordStoreName the store of each record's current contribution
     * @param passedStoreName the store of each cell's sum as last passed on
     */
    public CellCombiner(final String recordStoreName, final String passedStoreName) {
        this.recordStoreName = recordStoreName;
        this.passedStoreName = passedStoreName;
    }

    /** The cell of a contribution: its month, ward, district and breakdown values. */
    public static String cellOf(final Contribution contribution) {
        final StringBuilder cell = new StringBuilder(64).append(contribution.month()).append(SEPARATOR)
                .append(contribution.wardCode() == null ? "" : contribution.wardCode()).append(SEPARATOR)
                .append(contribution.districtCode() == null ? "" : contribution.districtCode());
        final Map<String, String> dimensions = contribution.dimensions();
        if (dimensions.size() == 1) {
            // the common case needs no sorting
            dimensions.forEach((name, value) -> cell.append(SEPARATOR).append(name).append('=').append(value));
        } else if (!dimensions.isEmpty()) {
            new TreeMap<>(dimensions)
                    .forEach((name, value) -> cell.append(SEPARATOR).append(name).append('=').append(value));
        }
        return cell.toString();
    }

    @Override
    public void init(final ProcessorContext<String, Contribution> context) {
        this.context = context;
        this.records = context.getStateStore(recordStoreName);
        this.passed = context.getStateStore(passedStoreName);
        this.name = recordStoreName + " " + context.taskId();
        this.cells = new HashMap<>();
        this.changed = new LinkedHashMap<>();
        this.coalescing = new Coalescing();
        this.holdMetric = HoldMetric.of(context, recordStoreName);
        final long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, Contribution> all = records.all()) {
            all.forEachRemaining(record -> add(record.value, 1, now));
        }
        // what differs from the sums passed on before (a crash came between) goes on again
        final Map<String, Long> rebuilt = changed;
        changed = new LinkedHashMap<>();
        try (KeyValueIterator<String, Contribution> all = passed.all()) {
            all.forEachRemaining(cell -> {
                if (!cell.value.equals(cells.get(cell.key))) {
                    changed.put(cell.key, now);
                }
                rebuilt.remove(cell.key);
            });
        }
        rebuilt.keySet().forEach(cell -> changed.put(cell, now));
        if (!changed.isEmpty()) {
            coalescing.held(now);
        }
        context.schedule(Coalescing.CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(final Record<String, Contribution> record) {
        if (record.key() == null) {
            return;
        }
        final long now = context.currentSystemTimeMs();
        final boolean fresh = coalescing.arrived(record.timestamp(), now);
        final Contribution before = records.get(record.key());
        final Contribution after = record.value();
        if (Objects.equals(before, after)) {
            return;
        }
        if (after == null) {
            records.delete(record.key());
        } else {
            records.put(record.key(), after);
        }
        if (before != null) {
            add(before, -1, record.timestamp());
        }
        if (after != null) {
            add(after, 1, record.timestamp());
        }
        if (fresh) {
            passOn();
        } else {
            coalescing.held(now);
        }
    }

    private void add(final Contribution contribution, final int sign, final long timestamp) {
        final String cell = cellOf(contribution);
        final Contribution sum = cells.get(cell);
        final long[] add = contribution.counters();
        final long[] counters = new long[Math.max(add.length, sum == null ? 0 : sum.counters().length)];
        boolean empty = true;
        for (int i = 0; i < counters.length; i++) {
            counters[i] = (sum == null || i >= sum.counters().length ? 0 : sum.counters()[i])
                    + (i < add.length ? sign * add[i] : 0);
            empty &= counters[i] == 0;
        }
        if (empty) {
            cells.remove(cell);
        } else {
            cells.put(cell, new Contribution(contribution.month(), contribution.wardCode(), contribution.wardName(),
                    contribution.districtCode(), contribution.districtName(), contribution.dimensions(), counters));
        }
        changed.merge(cell, timestamp, Math::max);
    }

    /**
     * What a cell's sum changed by since it was last passed on: the cell (month, areas, breakdowns)
     * with each counter's difference, negative where records were retracted or moved away.
     */
    static Contribution change(final Contribution before, final Contribution after) {
        final Contribution cell = after != null ? after : before;
        final long[] from = before == null ? new long[0] : before.counters();
        final long[] to = after == null ? new long[0] : after.counters();
        final long[] difference = new long[Math.max(from.length, to.length)];
        for (int i = 0; i < difference.length; i++) {
            difference[i] = (i < to.length ? to[i] : 0) - (i < from.length ? from[i] : 0);
        }
        return new Contribution(cell.month(), cell.wardCode(), cell.wardName(), cell.districtCode(),
                cell.districtName(), cell.dimensions(), difference);
    }

    private void check(final long now) {
        final Coalescing.Release release = coalescing.due(now);
        if (release != Coalescing.Release.NOT_YET) {
            final long heldFor = coalescing.heldFor(now);
            final int cells = passOn();
            if (cells >= LOGGED_HAND_OVER) {
                LOG.info("{} passed on {} cell sums held for {} ms ({})", name, cells, heldFor, release);
            }
        }
        holdMetric.record(coalescing.heldFor(now));
    }

    @Override
    public void close() {
        holdMetric.close();
    }

    private int passOn() {
        int passedOn = 0;
        for (final Map.Entry<String, Long> cell : changed.entrySet()) {
            final Contribution sum = cells.get(cell.getKey());
            final Contribution before = passed.get(cell.getKey());
            if (Objects.equals(sum, before)) {
                continue;
            }
            if (sum == null) {
                passed.delete(cell.getKey());
            } else {
                passed.put(cell.getKey(), sum);
            }
            context.forward(new Record<>(cell.getKey(), change(before, sum), cell.getValue()));
            passedOn++;
        }
        changed.clear();
        coalescing.released();
        return passedOn;
    }
}
