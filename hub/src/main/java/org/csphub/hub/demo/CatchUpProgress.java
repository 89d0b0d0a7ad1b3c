package org.csphub.hub.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The demo's console while the topologies catch up, looked at every few seconds: the raw records read of
 * those published, the rate since the first look and the time left at that rate; once the raw topics are
 * read, the records still to process between the topologies' stages; then that they are passing on what
 * they held back. A line that would say what the last one said is printed only every half minute.
 */
final class CatchUpProgress implements Consumer<CatchUp.Lag> {

    /** How often a line may be printed. */
    static final Duration EVERY = Duration.ofSeconds(5);
    /** How often a line that says nothing new is printed. */
    static final Duration UNCHANGED = Duration.ofSeconds(30);
    private static final String INDENT = "        ";

    private final PrintWriter out;
    private final LongSupplier nanoTime;
    private long started = -1;
    private long total;
    private long lastLine;
    private String last = "";
    private boolean printed;

    /**
     * @param published the raw records the topologies are to read, as the publishing counted them: some
     *        may be read before the first look
     */
    CatchUpProgress(final PrintWriter out, final long published, final LongSupplier nanoTime) {
        this.out = out;
        this.total = published;
        this.nanoTime = nanoTime;
    }

    @Override
    public void accept(final CatchUp.Lag lag) {
        final long now = nanoTime.getAsLong();
        // more may have been appended than the publishing counted
        total = Math.max(total, lag.raw());
        if (started < 0) {
            started = now;
            lastLine = now;
            return;
        }
        if (now - lastLine < EVERY.toNanos()) {
            return;
        }
        final String line;
        if (lag.raw() > 0) {
            final long read = total - lag.raw();
            final double rate = read / ((now - started) / 1e9);
            line = String.format("%,d of %,d raw records read (%,.0f/s), %s", read, total, rate,
                    rate > 0 ? String.format("about %.0f s left", Math.ceil(lag.raw() / rate)) : "starting");
        } else if (lag.internal() > 0) {
            line = String.format("all %,d raw records read; %,d records to process between the topologies' stages",
                    total, lag.internal());
        } else {
            line = String.format("all %,d raw records read; passing on the changes held back until the input ends",
                    total);
        }
        if (line.equals(last) && now - lastLine < UNCHANGED.toNanos()) {
            return;
        }
        lastLine = now;
        last = line;
        out.printf("%n%s%s", INDENT, line);
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
