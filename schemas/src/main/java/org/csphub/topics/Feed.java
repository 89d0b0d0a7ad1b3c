package org.csphub.topics;

import java.util.Objects;
import org.apache.avro.Schema;
import org.csphub.contracts.FeedContract;

/**
 * One feed of the hub, as its contract declares it: its slug, its raw and dead-letter topics and the
 * record it carries. Feeds come from a {@link FeedCatalog}; two feeds are the same feed when their slugs are.
 */
public final class Feed {

    private final FeedContract contract;
    private final Schema schema;

    private Feed(final FeedContract contract) {
        this.contract = contract;
        this.schema = contract.avroSchema();
    }

    /** The feed a contract declares. */
    public static Feed of(final FeedContract contract) {
        return new Feed(Objects.requireNonNull(contract, "contract"));
    }

    /** The feed's name in topics, URLs and folders, e.g. {@code police-asb}. */
    public String slug() {
        return contract.slug();
    }

    public String rawTopic() {
        return contract.rawTopic();
    }

    public String deadLetterTopic() {
        return contract.deadLetterTopic();
    }

    /** The raw record's Avro schema, from the contract. */
    public Schema schema() {
        return schema;
    }

    public FeedContract contract() {
        return contract;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Feed feed && feed.slug().equals(slug());
    }

    @Override
    public int hashCode() {
        return slug().hashCode();
    }

    @Override
    public String toString() {
        return slug();
    }
}
