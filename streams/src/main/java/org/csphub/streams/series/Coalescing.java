package org.csphub.streams.series;

import java.time.Duration;

/**
 * When a stage that collects changes passes them on. While its input is a trickle of fresh records
 * (appended a moment ago, fewer than {@link #TRICKLE} per check: the steady state) it passes each
 * change on at once, for a short append-to-metric latency. While it works through a backlog (records
 * appended a while ago: a catch-up, a replay) or a burst (a large file arriving at once), it holds its
 * changes until its input pauses or until {@link #MAX_DELAY} has passed, so that a million records
 * give a few updates per metric instead of one per record.
 *
 * <p>The stage checks every {@link #CHECK_INTERVAL} of wall-clock time; "paused" means no record
 * arrived for {@link #PAUSE} and through {@link #QUIET_CHECKS} checks in a row. When the held changes
 * came from a backlog, the silence must also last a {@link #BACKLOG_SHARE share} of how long the
 * stage has held them, at most {@link #BACKLOG_PAUSE}: the hold scales with the work, so a file of a
 * few thousand rows goes on a second after its last record and a million-row replay is not taken
 * for over at the first hiccup of its input. Silence is counted
 * in checks that ran: while the stream thread is busy elsewhere (passing on what another stage
 * held, committing) no check runs, so a stall of the thread inside a backlog is not taken for its
 * end, and the records that waited meanwhile reset the count.
 */
public final class Coalescing {

    /** How often a holding stage looks whether to pass its changes on. */
    public static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    /** A record appended at most this long ago is fresh. */
    public static final Duration FRESH = Duration.ofSeconds(5);
    /** How long the input must stay silent to count as paused after a burst of fresh records. */
    public static final Duration PAUSE = Duration.ofSeconds(1);
    /**
     * The longest it must stay silent after records from a backlog: inside a long backlog a task's
     * input can stop for a few seconds while a thread passes on what another stage held.
     */
    public static final Duration BACKLOG_PAUSE = Duration.ofSeconds(10);
    /** After records from a backlog, the input must stay silent for 1/{@value} of how long the stage has held. */
    public static final int BACKLOG_SHARE = 4;
    /** How many checks in a row must see no input to count as paused. */
    public static final int QUIET_CHECKS = 3;
    /** More arrivals than this between two checks are a burst, not a trickle. */
    public static final int TRICKLE = 250;
    /** The longest a change is held while the input keeps coming. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private long heldSince = -1;
    private long lastArrival = -1;
    private int arrivedSinceCheck;
    private int quietChecks;
    private boolean staleWhileHeld;
    private boolean staleSinceCheck;

    /** Notes an arriving record; true when its change should go on at once (a fresh record of a trickle). */
    public boolean arrived(final long recordTimestamp, final long now) {
        arrivedSinceCheck++;
        lastArrival = now;
        staleSinceCheck |= now - recordTimestamp > FRESH.toMillis();
        staleWhileHeld |= staleSinceCheck;
        return !staleSinceCheck && arrivedSinceCheck <= TRICKLE && heldSince < 0;
    }

    /** Notes that a change is being held. */
    public void held(final long now) {
        if (heldSince < 0) {
            heldSince = now;
        }
    }

    /** Why held changes go on at a check. */
    public enum Release { NOT_YET, PAUSE, TRICKLE, MAX_DELAY }

    /**
     * At a check: whether the held changes go on now, and why (the input paused, or it was a fresh
     * trickle since the last check, or they waited long enough).
     */
    public Release due(final long now) {
        quietChecks = arrivedSinceCheck == 0 ? quietChecks + 1 : 0;
        final boolean paused = quietChecks >= QUIET_CHECKS && now - lastArrival >= pause(now);
        final boolean trickle = arrivedSinceCheck > 0 && !staleSinceCheck && arrivedSinceCheck <= TRICKLE;
        arrivedSinceCheck = 0;
        staleSinceCheck = false;
        if (heldSince < 0) {
            return Release.NOT_YET;
        }
        return paused ? Release.PAUSE : trickle ? Release.TRICKLE
                : now - heldSince >= MAX_DELAY.toMillis() ? Release.MAX_DELAY : Release.NOT_YET;
    }

    /** How long the input must have been silent at {@code now} for the held changes to go on. */
    private long pause(final long now) {
        return staleWhileHeld ? Math.clamp(heldFor(now) / BACKLOG_SHARE, PAUSE.toMillis(), BACKLOG_PAUSE.toMillis())
                : PAUSE.toMillis();
    }

    /** How long the oldest held change has waited: at least 1 ms while one is held, 0 when none is. */
    public long heldFor(final long now) {
        return heldSince < 0 ? 0 : Math.max(1, now - heldSince);
    }

    /** Notes that every held change went on. */
    public void released() {
        heldSince = -1;
        staleWhileHeld = false;
    }
}
