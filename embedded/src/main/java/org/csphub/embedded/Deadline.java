package org.csphub.embedded;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits for a condition, polling with a short back-off, until a deadline. */
final class Deadline {

    private Deadline() {
    }

    static void await(final String what, final Duration timeout, final BooleanSupplier condition,
            final BooleanSupplier giveUp) throws TimeoutException, InterruptedException {
        final long end = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (!condition.getAsBoolean()) {
            if (giveUp.getAsBoolean()) {
                throw new IllegalStateException(what + " failed");
            }
            if (System.nanoTime() > end) {
                throw new TimeoutException(what + " did not happen within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(pause); // back-off between polls
            pause = Math.min(500, pause * 2);
        }
    }
}
