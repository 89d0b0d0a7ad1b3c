package org.csphub.producers.intake;

/** Records that Kafka did not take: the cluster or the registry failed, not the partner's data. */
public final class PublishFailedException extends RuntimeException {

    public PublishFailedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
