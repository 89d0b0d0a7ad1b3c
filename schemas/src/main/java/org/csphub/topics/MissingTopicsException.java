package org.csphub.topics;

import java.util.List;

/**
 * Topics a command needs that it may not create: they do not exist, or its credentials may not see
 * them, and the broker refused to create them for it (the administrator creates the hub's topics where
 * the broker authorizes by ACLs).
 */
public final class MissingTopicsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final List<String> topics;

    public MissingTopicsException(final List<String> topics, final String message, final Throwable cause) {
        super(message, cause);
        this.topics = List.copyOf(topics);
    }

    /** The topics, in the order the command asked for them. */
    public List<String> topics() {
        return topics;
    }
}
