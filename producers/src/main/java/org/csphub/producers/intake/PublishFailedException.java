package org.csphub.producers.intake;

import java.util.Optional;

/**
 * Records that Kafka did not take: the cluster or the registry failed, not the partner's data. When it
 * comes from an intake, its summary says which rows were stored and which were not, and whether sending
 * again can succeed. Sending the same export again is always safe: a re-sent row replaces itself.
 */
public final class PublishFailedException extends RuntimeException {

    private final transient IntakeSummary summary;
    private final boolean retriable;

    public PublishFailedException(final String message, final Throwable cause) {
        super(message, cause);
        this.summary = null;
        this.retriable = true;
    }

    PublishFailedException(final String message, final IntakeSummary summary, final boolean retriable) {
        super(message);
        this.summary = summary;
        this.retriable = retriable;
    }

    /** What the intake did before Kafka failed it, with the rows not stored; empty outside an intake. */
    public Optional<IntakeSummary> summary() {
        return Optional.ofNullable(summary);
    }

    /** Whether every failure was of the kind a later attempt can overcome (a broker or registry unavailable, a timeout). */
    public boolean retriable() {
        return retriable;
    }
}
