package org.csphub.access;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;

/** The kinds of the hub's topics, as the access file names them for what an operator may read. */
public enum TopicKind {
    RAW("raw"),
    DEAD_LETTER("dead-letter"),
    METRICS("metrics"),
    PUBLISHED("published");

    private final String label;

    TopicKind(final String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The hub's topics of this kind, with the catalog's feeds. */
    public List<String> topics(final FeedCatalog catalog) {
        final List<String> all = TopicProvisioner.allTopics(catalog);
        return switch (this) {
            case RAW -> catalog.rawTopics();
            case DEAD_LETTER -> all.stream().filter(t -> t.startsWith(Topics.DLQ_PREFIX)).toList();
            case METRICS -> all.stream().filter(t -> t.startsWith(Topics.METRICS_PREFIX)).toList();
            case PUBLISHED -> all.stream().filter(t -> t.startsWith(Topics.PUBLISHED_PREFIX)).toList();
        };
    }

    static TopicKind fromLabel(final String label) {
        final String wanted = label.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(kind -> kind.label.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown kind of topic '" + label + "'; valid kinds are "
                        + Arrays.stream(values()).map(TopicKind::label).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return label;
    }
}
