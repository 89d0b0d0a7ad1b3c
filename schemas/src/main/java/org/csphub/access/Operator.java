package org.csphub.access;

import java.util.Set;

/**
 * A person or service watching the pipeline: may describe every hub topic and consumer group (for
 * lag and freshness), and read the kinds of topics listed in {@code reads} with groups starting
 * with {@code groupPrefix}.
 */
public record Operator(String name, String principal, Set<TopicKind> reads, String groupPrefix) {

    public Operator {
        reads = Set.copyOf(reads);
    }
}
