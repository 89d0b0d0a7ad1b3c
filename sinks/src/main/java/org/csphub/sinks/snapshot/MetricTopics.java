package org.csphub.sinks.snapshot;

import java.util.List;
import org.csphub.topics.FeedCatalog;

/** The topics the sinks read: one metric topic and one published topic per family of the catalog's feeds. */
public final class MetricTopics {

    private MetricTopics() {
    }

    /** The metric topics, {@code csp.metrics.<family>}: every value, before disclosure control. */
    public static List<String> all(final FeedCatalog catalog) {
        return catalog.metricTopics();
    }

    /** The published topics, {@code csp.published.<family>}: the metric topics' values after disclosure control. */
    public static List<String> published(final FeedCatalog catalog) {
        return catalog.publishedTopics();
    }

    /** Both, as the PostgreSQL sink reads them. */
    public static List<String> allWithPublished(final FeedCatalog catalog) {
        return catalog.metricAndPublishedTopics();
    }
}
