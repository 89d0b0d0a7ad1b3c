package org.csphub.topics;

/** The names of every topic of the hub, shared by the stages and their tests. */
public final class Topics {

    public static final String RAW_PREFIX = "csp.raw.";

    public static final String DLQ_PREFIX = "csp.dlq.";
    /** Records that reached a topology and could not be processed (KIP-1034's dead-letter queue). */
    public static final String DLQ_STREAMS = DLQ_PREFIX + "streams";

    public static final String METRICS_PREFIX = "csp.metrics.";

    /**
     * The research group's topics: the metric topics' values after disclosure control, one per family
     * ({@code csp.published.<family>}), written by the topologies.
     */
    public static final String PUBLISHED_PREFIX = "csp.published.";

    private Topics() {
    }

    /** The published topic of the family a metric topic belongs to ({@code csp.metrics.asb} gives {@code csp.published.asb}). */
    public static String publishedTopicOf(final String metricTopic) {
        if (!metricTopic.startsWith(METRICS_PREFIX)) {
            throw new IllegalArgumentException("Not a metric topic: " + metricTopic);
        }
        return PUBLISHED_PREFIX + metricTopic.substring(METRICS_PREFIX.length());
    }

    /** The subject a topic's value schema is registered under (Confluent's TopicNameStrategy). */
    public static String valueSubject(final String topic) {
        return topic + "-value";
    }

    /** The subject a topic's key schema is registered under (Confluent's TopicNameStrategy). */
    public static String keySubject(final String topic) {
        return topic + "-key";
    }
}
