package org.csphub.streams.series;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoalescingTest {

    private static final long NOW = 1_000_000_000L;
    private static final long CHECK = Coalescing.CHECK_INTERVAL.toMillis();

    @Test
    void shouldPassAFreshTrickleOnAtOnce() {
        final Coalescing coalescing = new Coalescing();

        assertThat(coalescing.arrived(NOW - 50, NOW)).isTrue();
        assertThat(coalescing.arrived(NOW - 1_999, NOW)).isTrue();
    }

    @Test
    void shouldHoldARecordAppendedLongerAgoThanFreshUntilTheInputPauses() {
        final Coalescing coalescing = new Coalescing();

        assertThat(coalescing.arrived(NOW - Coalescing.FRESH.toMillis() - 1, NOW)).isFalse();
        coalescing.held(NOW);
        assertThat(coalescing.due(NOW + CHECK)).as("input arrived since the last check")
                .isEqualTo(Coalescing.Release.NOT_YET);
        assertThat(coalescing.due(NOW + 2 * CHECK)).as("a gap shorter than a pause")
                .isEqualTo(Coalescing.Release.NOT_YET);
        assertThat(coalescing.due(NOW + 3 * CHECK)).as("two quiet checks").isEqualTo(Coalescing.Release.NOT_YET);
        assertThat(coalescing.due(NOW + Coalescing.PAUSE.toMillis())).as("a small backlog, silent for a pause")
                .isEqualTo(Coalescing.Release.PAUSE);
    }

    /** Records from a backlog arriving at every check from {@code NOW} to {@code until}, held. */
    private static Coalescing backlogUntil(final long until) {
        final Coalescing coalescing = new Coalescing();
        coalescing.held(NOW);
        for (long at = NOW; at <= until; at += CHECK) {
            coalescing.arrived(0, at);
            assertThat(coalescing.due(at)).isNotEqualTo(Coalescing.Release.PAUSE);
        }
        return coalescing;
    }

    @Test
    void shouldWaitForASilenceOfAShareOfHowLongItHeldABacklog() {
        final long held = 20_000;
        final Coalescing coalescing = backlogUntil(NOW + held);
        // the silence s must reach (held + s) / share
        final long silence = held / (Coalescing.BACKLOG_SHARE - 1);
        assertThat(silence).isBetween(Coalescing.PAUSE.toMillis(), Coalescing.BACKLOG_PAUSE.toMillis());

        for (long at = NOW + held + CHECK; at < NOW + held + silence; at += CHECK) {
            assertThat(coalescing.due(at)).as("silent for %d ms", at - NOW - held).isEqualTo(Coalescing.Release.NOT_YET);
        }
        assertThat(coalescing.due(NOW + held + silence + CHECK)).isEqualTo(Coalescing.Release.PAUSE);
    }

    @Test
    void shouldNeverWaitForALongerSilenceThanTheBacklogPause() {
        // a stage that keeps its changes past the longest delay (the publisher) still goes on after the pause
        final long held = 4 * Coalescing.BACKLOG_SHARE * Coalescing.BACKLOG_PAUSE.toMillis();
        final Coalescing coalescing = backlogUntil(NOW + held);
        final long pause = Coalescing.BACKLOG_PAUSE.toMillis();

        for (long at = NOW + held + CHECK; at < NOW + held + pause; at += CHECK) {
            assertThat(coalescing.due(at)).as("silent for %d ms", at - NOW - held).isNotEqualTo(Coalescing.Release.PAUSE);
        }
        assertThat(coalescing.due(NOW + held + pause)).isEqualTo(Coalescing.Release.PAUSE);
    }

    @Test
    void shouldNotTakeAStallOfTheThreadForTheEndOfABacklog() {
        final Coalescing coalescing = new Coalescing();
        coalescing.arrived(0, NOW);
        coalescing.held(NOW);
        final long stalled = NOW + 5 * Coalescing.PAUSE.toMillis();

        assertThat(coalescing.due(stalled)).as("one check after a long stall").isEqualTo(Coalescing.Release.NOT_YET);
        coalescing.arrived(0, stalled + 1);
        assertThat(coalescing.due(stalled + CHECK)).as("the backlog goes on").isEqualTo(Coalescing.Release.NOT_YET);
        assertThat(coalescing.due(stalled + 2 * CHECK)).isEqualTo(Coalescing.Release.NOT_YET);
    }

    @Test
    void shouldHoldABurstOfFreshRecordsBeyondTheTrickle() {
        final Coalescing coalescing = new Coalescing();
        for (int i = 0; i < Coalescing.TRICKLE; i++) {
            assertThat(coalescing.arrived(NOW, NOW)).isTrue();
        }

        assertThat(coalescing.arrived(NOW, NOW)).isFalse();
        coalescing.held(NOW);
        assertThat(coalescing.due(NOW + CHECK)).isEqualTo(Coalescing.Release.NOT_YET);
    }

    @Test
    void shouldReleaseAtAFreshTrickleAfterABurst() {
        final Coalescing coalescing = new Coalescing();
        for (int i = 0; i <= Coalescing.TRICKLE; i++) {
            coalescing.arrived(NOW, NOW);
        }
        coalescing.held(NOW);
        assertThat(coalescing.due(NOW + CHECK)).isEqualTo(Coalescing.Release.NOT_YET);

        assertThat(coalescing.arrived(NOW + CHECK, NOW + CHECK + 1)).as("held changes come first").isFalse();
        assertThat(coalescing.due(NOW + 2 * CHECK)).isEqualTo(Coalescing.Release.TRICKLE);
    }

    @Test
    void shouldReleaseAfterTheLongestDelayWhileABacklogKeepsComing() {
        final Coalescing coalescing = new Coalescing();
        coalescing.held(NOW);
        final long max = Coalescing.MAX_DELAY.toMillis();
        for (long at = NOW + CHECK; at < NOW + max; at += CHECK) {
            coalescing.arrived(0, at);
            assertThat(coalescing.due(at)).isEqualTo(Coalescing.Release.NOT_YET);
        }
        coalescing.arrived(0, NOW + max);

        assertThat(coalescing.due(NOW + max)).isEqualTo(Coalescing.Release.MAX_DELAY);
        coalescing.released();
        coalescing.arrived(0, NOW + max + CHECK);
        assertThat(coalescing.due(NOW + max + CHECK)).as("nothing held").isEqualTo(Coalescing.Release.NOT_YET);
    }
}
