package org.csphub.producers.validation;

/** A file whose header does not match its feed's contract: no row of it is read. */
public final class HeaderRefusedException extends RuntimeException {

    public HeaderRefusedException(final String message) {
        super(message);
    }
}
