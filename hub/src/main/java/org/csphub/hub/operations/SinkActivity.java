package org.csphub.hub.operations;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * A sink's writes as meters: the count it reports, and the time of its last write, which is when this
 * class last saw the count move (so it is exact to the scrape interval; sinks need not know of it).
 */
public final class SinkActivity {

    private final LongSupplier written;
    private final Clock clock;
    private long lastSeen;
    private Instant lastWrite;

    private SinkActivity(final LongSupplier written, final Clock clock) {
        this.written = written;
        this.clock = clock;
        this.lastSeen = written.getAsLong();
    }

    /** Registers the sink's meters, e.g. {@code SinkActivity.bind(registry, "postgres", sink::appliedRecords, clock)}. */
    public static SinkActivity bind(final MeterRegistry registry, final String sink, final LongSupplier written,
            final Clock clock) {
        final SinkActivity activity = new SinkActivity(written, clock);
        FunctionCounter.builder(MeterNames.SINK_RECORDS_WRITTEN, activity, SinkActivity::written).tag("sink", sink)
                .description("Records the sink has written").register(registry);
        // held strongly by the registry, which keeps the activity (and so the weakly held counter) alive
        Gauge.builder(MeterNames.SINK_LAST_WRITE, activity, SinkActivity::lastWriteSeconds).tag("sink", sink)
                .description("When the sink last wrote").strongReference(true).register(registry);
        return activity;
    }

    synchronized double written() {
        observe();
        return lastSeen;
    }

    synchronized double lastWriteSeconds() {
        observe();
        return lastWrite == null ? Double.NaN : lastWrite.toEpochMilli() / 1000.0;
    }

    private void observe() {
        final long now = written.getAsLong();
        if (now != lastSeen) {
            lastSeen = now;
            lastWrite = clock.instant();
        }
    }
}
