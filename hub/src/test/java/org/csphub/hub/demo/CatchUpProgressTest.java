package org.csphub.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CatchUpProgressTest {

    private static final long SECOND = 1_000_000_000L;

    private final StringWriter text = new StringWriter();
    private final AtomicLong now = new AtomicLong(7 * SECOND);
    private final CatchUpProgress progress = new CatchUpProgress(new PrintWriter(text), 0, now::get);

    @Test
    void shouldSayEveryFewSecondsHowMuchIsReadHowFastAndHowLongIsLeft() {
        progress.accept(new CatchUp.Lag(12_000, 0));
        at(2, 9_000, 500);
        assertThat(text.toString()).as("nothing before the first interval").isEmpty();
        at(5, 6_000, 800);
        at(10, 0, 300);
        at(15, 0, 0);
        progress.end();
        // 6,000 read in 5 s: 1,200/s, 6,000 left at that rate: 5 s
        assertThat(text.toString().split("\n", -1)).containsExactly("",
                "        6,000 of 12,000 raw records read (1,200/s), about 5 s left",
                "        all 12,000 raw records read; 300 records to process between the topologies' stages",
                "        all 12,000 raw records read; passing on the changes held back until the input ends",
                "        ");
    }

    @Test
    void shouldRepeatALineThatSaysNothingNewOnlyEveryHalfMinute() {
        progress.accept(new CatchUp.Lag(100, 0));
        for (long second = 5; second <= 40; second += 5) {
            at(second, 0, 0);
        }
        // at 5 s, then 30 s later
        assertThat(text.toString().lines().filter(line -> !line.isEmpty())).hasSize(2);
    }

    @Test
    void shouldCountRecordsAppendedWhileItReadsInTheTotal() {
        progress.accept(new CatchUp.Lag(1_000, 0));
        at(5, 1_500, 0);
        assertThat(text.toString()).contains("0 of 1,500 raw records read (0/s), starting");
    }

    @Test
    void shouldCountWhatWasPublishedThoughSomeWasReadBeforeTheFirstLook() {
        final CatchUpProgress counted = new CatchUpProgress(new PrintWriter(text), 58_773, now::get);
        counted.accept(new CatchUp.Lag(56_747, 0));
        now.addAndGet(5 * SECOND);
        counted.accept(new CatchUp.Lag(0, 2_613));
        assertThat(text.toString()).contains("all 58,773 raw records read; 2,613 records to process");
    }

    @Test
    void shouldPrintNothingWhenTheTopologiesCaughtUpWithinTheFirstInterval() {
        progress.accept(new CatchUp.Lag(100, 0));
        at(1, 0, 0);
        progress.end();
        assertThat(text.toString()).isEmpty();
    }

    private void at(final long seconds, final long raw, final long internal) {
        now.set(7 * SECOND + seconds * SECOND);
        progress.accept(new CatchUp.Lag(raw, internal));
    }
}
