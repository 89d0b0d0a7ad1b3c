package org.csphub.sinks.snapshot;

import java.util.List;
import org.csphub.topics.Topics;

/** The topics the sinks read: one per metric family. */
public final class MetricTopics {

    public static final List<String> ALL = List.of(Topics.METRICS_ASB, Topics.METRICS_AMBULANCE, Topics.METRICS_IDVA,
            Topics.METRICS_FIRE);

    private MetricTopics() {
    }
}
