package org.csphub.topics;

/** The names of every topic of the hub, shared by the stages and their tests. */
public final class Topics {

    public static final String RAW_PREFIX = "csp.raw.";
    public static final String RAW_POLICE_ASB = "csp.raw.police-asb";
    public static final String RAW_AMBULANCE_CALLOUTS = "csp.raw.ambulance-callouts";
    public static final String RAW_IDVA_REFERRALS = "csp.raw.idva-referrals";
    public static final String RAW_FIRE_INCIDENTS = "csp.raw.fire-incidents";

    public static final String DLQ_PREFIX = "csp.dlq.";
    public static final String DLQ_POLICE_ASB = DLQ_PREFIX + "police-asb";
    public static final String DLQ_AMBULANCE_CALLOUTS = DLQ_PREFIX + "ambulance-callouts";
    public static final String DLQ_IDVA_REFERRALS = DLQ_PREFIX + "idva-referrals";
    public static final String DLQ_FIRE_INCIDENTS = DLQ_PREFIX + "fire-incidents";
    /** Records that reached a topology and could not be processed (KIP-1034's dead-letter queue). */
    public static final String DLQ_STREAMS = DLQ_PREFIX + "streams";

    public static final String METRICS_PREFIX = "csp.metrics.";
    public static final String METRICS_ASB = METRICS_PREFIX + "asb";
    public static final String METRICS_AMBULANCE = METRICS_PREFIX + "ambulance";
    public static final String METRICS_IDVA = METRICS_PREFIX + "idva";
    public static final String METRICS_FIRE = METRICS_PREFIX + "fire";

    /**
     * The research group's topics: the metric topics' values after disclosure control, one per family
     * ({@code csp.published.<family>}), written by the topologies.
     */
    public static final String PUBLISHED_PREFIX = "csp.published.";
    public static final String PUBLISHED_ASB = PUBLISHED_PREFIX + "asb";
    public static final String PUBLISHED_AMBULANCE = PUBLISHED_PREFIX + "ambulance";
    public static final String PUBLISHED_IDVA = PUBLISHED_PREFIX + "idva";
    public static final String PUBLISHED_FIRE = PUBLISHED_PREFIX + "fire";

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
