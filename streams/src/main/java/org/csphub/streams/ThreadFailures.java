package org.csphub.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to an exception that no record handler took (a bad record goes to the dead-letter topic
 * before it gets here). A stream thread that failed is replaced, so that a passing fault (a broker
 * restarting mid-commit) costs a moment; but at most {@link #MAX_REPLACEMENTS} times within
 * {@link #WINDOW}. Under exactly-once a replaced thread resumes from the last commit and meets the
 * same input again, so a failure that comes back every time would otherwise loop for ever, using the
 * CPU and hiding the fault. After that the client shuts down, and {@link #shutDownBecause()} says why
 * for the process's {@code /health} and {@code /ready}.
 */
public final class ThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

    /** How many replacements a window allows. */
    public static final int MAX_REPLACEMENTS = 3;
    /** The window that counts them. */
    public static final Duration WINDOW = Duration.ofMinutes(10);

    private final Clock clock;
    private final Deque<Instant> replacements = new ArrayDeque<>();
    private volatile String shutDownBecause;

    public ThreadFailures(final Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(final Throwable exception) {
        final Instant now = clock.instant();
        while (!replacements.isEmpty() && replacements.peekFirst().isBefore(now.minus(WINDOW))) {
            replacements.removeFirst();
        }
        if (replacements.size() < MAX_REPLACEMENTS) {
            replacements.addLast(now);
            LOG.error("A stream thread failed; replacing it ({} of {} replacements allowed in {} minutes)",
                    replacements.size(), MAX_REPLACEMENTS, WINDOW.toMinutes(), exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        shutDownBecause = "the metric topologies stopped after " + (MAX_REPLACEMENTS + 1) + " stream-thread failures in "
                + WINDOW.toMinutes() + " minutes; the last: " + describe(exception);
        LOG.error("A stream thread failed again; shutting the topologies down: {}", shutDownBecause, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Why the client shut itself down, once it has. */
    public Optional<String> shutDownBecause() {
        return Optional.ofNullable(shutDownBecause);
    }

    private static String describe(final Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String message = root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return message.length() > 500 ? message.substring(0, 500) + " ..." : message;
    }
}
