package org.csphub.serde;

/**
 * A schema registry refused a request or could not be reached. The message says which registry,
 * which request, and what it answered.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(final String message, final int httpStatus, final int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(final String message, final Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    /** The HTTP status the registry answered with, or 0 when it could not be reached. */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Whether asking again later may succeed: the registry could not be reached or did not answer in time,
     * or answered with a server error (5xx), a timeout (408) or too many requests (429).
     */
    public boolean isTransient() {
        if (httpStatus == 0) {
            return !(getCause() instanceof InterruptedException);
        }
        return httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
    }

    /** The Confluent error code (e.g. 40403 schema not found, 409 incompatible), or 0. */
    public int errorCode() {
        return errorCode;
    }
}
