package org.csphub.access;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whom a reader of the metrics is: a partner under the data-sharing agreement, who sees the full
 * figures, or the public, who see only what disclosure control publishes.
 */
public enum Audience {
    /** Reads the metric topics (full figures) and the published topics. */
    PARTNER("partner", List.of(TopicKind.METRICS, TopicKind.PUBLISHED)),
    /** Reads the published topics only, after disclosure control. */
    PUBLIC("public", List.of(TopicKind.PUBLISHED));

    private final String label;
    private final List<TopicKind> reads;

    Audience(final String label, final List<TopicKind> reads) {
        this.label = label;
        this.reads = reads;
    }

    /** The name the access file and the command line use: {@code partner} or {@code public}. */
    public String label() {
        return label;
    }

    /** The kinds of topics this audience may read. */
    public List<TopicKind> reads() {
        return reads;
    }

    /** Whether this audience sees the figures before disclosure control. */
    public boolean seesFullFigures() {
        return reads.contains(TopicKind.METRICS);
    }

    /** The audience of a label, in any case. */
    public static Optional<Audience> fromLabel(final String label) {
        final String wanted = label.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(audience -> audience.label.equals(wanted)).findFirst();
    }

    /** The labels, for messages: {@code partner, public}. */
    public static String labels() {
        return Arrays.stream(values()).map(Audience::label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }
}
