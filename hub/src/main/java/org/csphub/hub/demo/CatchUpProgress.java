package org.csphub.hub.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The demo's console while the topologies catch up: every few seconds, the raw records read of those
 * there were when it began, the rate since, and the time left at that rate; then, with the raw topics
 * read, that the topologies are passing on what they held back.
 */
final class CatchUpProgress implements Consumer<CatchUp.Lag> {

    /** How often a line is printed. */
    static final Duration EVERY = Duration.ofSeconds(5);
    private static final String INDENT = "        ";

    private final PrintWriter out;
    private final LongSupplier nanoTime;
    private long started = -1;
    private long total;
    private long lastLine;
    private boolean printed;

    CatchUpProgress(final PrintWriter out, final LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
    }

    @Override
    public void accept(final CatchUp.Lag lag) {
        final long now = nanoTime.getAsLong();
        if (started < 0) {
            // the first look: what there is to read
            started = now;
            lastLine = now;
            total = lag.raw();
            return;
        }
        // more may have been appended since the first look
        total = Math.max(total, lag.raw());
        if (now - lastLine < EVERY.toNanos()) {
            return;
        }
        lastLine = now;
        final long read = total - lag.raw();
        final double seconds = (now - started) / 1e9;
        final double rate = read / seconds;
        final String state;
        if (lag.raw() > 0) {
            state = rate > 0 ? String.format("about %.0f s left", Math.ceil(lag.raw() / rate)) : "starting";
        } else if (lag.internal() > 0) {
            state = String.format("%,d between the topologies' stages", lag.internal());
        } else {
            state = "passing on the changes held back until the input ends";
        }
        out.printf("%n%s%,d of %,d raw records read (%,.0f/s), %s", INDENT, read, total, rate, state);
        out.flush();
        printed = true;
    }

    /** Ends the progress lines, so that what follows starts on a line of its own; nothing when none was printed. */
    void end() {
        if (printed) {
            out.printf("%n%s", INDENT);
            out.flush();
        }
    }
}
