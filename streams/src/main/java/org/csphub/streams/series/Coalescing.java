package org.csphub.streams.series;

import java.time.Duration;

/**
 * When a stage that collects changes passes them on. While its input is fresh (records appended a
 * moment ago: the steady state) it passes each change on at once, for a short append-to-metric
 * latency. While it works through a backlog (records appended a while ago: a catch-up, a replay) it
 * holds its changes until its input pauses or until {@link #MAX_DELAY} has passed, so that a burst
 * of a million records gives a few updates per metric instead of one per record.
 *
 * <p>The stage checks every {@link #CHECK_INTERVAL} of wall-clock time; "paused" means no record
 * arrived since the check before.
 */
public final class Coalescing {

    /** How often a holding stage looks whether to pass its changes on. */
    public static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    /** A record appended at most this long ago is fresh. */
    public static final Duration FRESH = Duration.ofSeconds(2);
    /** The longest a change is held while the input keeps coming. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(10);

    private long heldSince = -1;
    private boolean arrivedSinceCheck;

    /** Notes an arriving record; true when it is fresh, so that its change goes on at once. */
    public boolean arrived(final long recordTimestamp, final long now) {
        arrivedSinceCheck = true;
        return now - recordTimestamp <= FRESH.toMillis();
    }

    /** Notes that a change is being held. */
    public void held(final long now) {
        if (heldSince < 0) {
            heldSince = now;
        }
    }

    /** At a check: whether the held changes go on now (the input paused, or they waited long enough). */
    public boolean due(final long now) {
        final boolean paused = !arrivedSinceCheck;
        arrivedSinceCheck = false;
        return heldSince >= 0 && (paused || now - heldSince >= MAX_DELAY.toMillis());
    }

    /** Notes that every held change went on. */
    public void released() {
        heldSince = -1;
    }
}
