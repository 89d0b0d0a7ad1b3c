package org.csphub.sinks.snapshot;

import java.util.List;
import java.util.stream.Stream;
import org.csphub.topics.Topics;

/** The topics the sinks read: one metric topic and one published topic per family. */
public final class MetricTopics {

    /** The metric topics: every value, before disclosure control. */
    public static final List<String> ALL = List.of(Topics.METRICS_ASB, Topics.METRICS_AMBULANCE, Topics.METRICS_IDVA,
            Topics.METRICS_FIRE);
    /** The published topics: the metric topics' values after disclosure control. */
    public static final List<String> PUBLISHED = List.of(Topics.PUBLISHED_ASB, Topics.PUBLISHED_AMBULANCE,
            Topics.PUBLISHED_IDVA, Topics.PUBLISHED_FIRE);
    /** Both, as the PostgreSQL sink reads them. */
    public static final List<String> ALL_WITH_PUBLISHED = Stream.concat(ALL.stream(), PUBLISHED.stream()).toList();

    private MetricTopics() {
    }
}
