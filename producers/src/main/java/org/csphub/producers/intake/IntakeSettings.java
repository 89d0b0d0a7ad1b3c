package org.csphub.producers.intake;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.csphub.config.HubConfig;
import org.csphub.producers.validation.ExportContract;
import org.csphub.topics.Feed;

/**
 * The intake's settings: the columns each feed drops instead of refusing the file, and how many
 * rejected rows a summary lists.
 */
public record IntakeSettings(Map<Feed, Set<String>> ignoredColumns, int rejectionsShown) {

    public IntakeSettings {
        ignoredColumns = Map.copyOf(ignoredColumns);
    }

    public static IntakeSettings from(final HubConfig config) {
        final String ignored = config.find(HubConfig.INTAKE_IGNORED_COLUMNS).orElse("");
        final Map<Feed, Set<String>> byFeed = Arrays.stream(Feed.values()).collect(Collectors.toMap(feed -> feed,
                feed -> ignoredBy(ignored, feed)));
        return new IntakeSettings(byFeed, config.getInt(HubConfig.INTAKE_SUMMARY_REJECTIONS));
    }

    /** {@code column} entries apply to every feed, {@code feed:column} entries to that feed only. */
    static Set<String> ignoredBy(final String setting, final Feed feed) {
        return Arrays.stream(setting.split(",")).map(String::trim).filter(entry -> !entry.isEmpty())
                .map(entry -> entry.split(":", 2))
                .filter(parts -> parts.length == 1 || Feed.fromName(parts[0]) == feed)
                .map(parts -> ExportContract.normalise(parts[parts.length - 1]))
                .collect(Collectors.toUnmodifiableSet());
    }

    public Set<String> ignored(final Feed feed) {
        return ignoredColumns.getOrDefault(feed, Set.of());
    }
}
