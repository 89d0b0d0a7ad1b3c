package org.csphub.producers.intake;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.csphub.config.HubConfig;
import org.csphub.producers.validation.ExportContract;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;

/**
 * The intake's settings: the columns each feed drops instead of refusing the file, and how many
 * rejected rows a summary lists.
 */
public record IntakeSettings(Map<Feed, Set<String>> ignoredColumns, int rejectionsShown) {

    public IntakeSettings {
        ignoredColumns = Map.copyOf(ignoredColumns);
    }

    /** The settings for the configured catalog's feeds ({@code feeds.dir}). */
    public static IntakeSettings from(final HubConfig config) {
        return from(config, FeedCatalog.of(config));
    }

    public static IntakeSettings from(final HubConfig config, final FeedCatalog catalog) {
        final String ignored = config.find(HubConfig.INTAKE_IGNORED_COLUMNS).orElse("");
        final Map<Feed, Set<String>> byFeed = new LinkedHashMap<>();
        catalog.feeds().forEach(feed -> byFeed.put(feed, ignoredBy(ignored, feed, catalog)));
        return new IntakeSettings(byFeed, config.getInt(HubConfig.INTAKE_SUMMARY_REJECTIONS));
    }

    /** {@code column} entries apply to every feed, {@code feed:column} entries to that feed only. */
    static Set<String> ignoredBy(final String setting, final Feed feed, final FeedCatalog catalog) {
        return Arrays.stream(setting.split(",")).map(String::trim).filter(entry -> !entry.isEmpty())
                .map(entry -> entry.split(":", 2))
                .filter(parts -> parts.length == 1 || catalog.feed(parts[0]).equals(feed))
                .map(parts -> ExportContract.normalise(parts[parts.length - 1]))
                .collect(Collectors.toUnmodifiableSet());
    }

    public Set<String> ignored(final Feed feed) {
        return ignoredColumns.getOrDefault(feed, Set.of());
    }
}
