package org.csphub.producers.feeds;

import java.util.LinkedHashMap;
import java.util.Map;
import org.csphub.config.HubConfig;
import org.csphub.contracts.FeedContract;
import org.csphub.geography.Geography;
import org.csphub.producers.privacy.ClientHasher;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;

/**
 * The adapter of each feed of a catalog, built from its contract. A feed with a person's reference has an
 * adapter only when the hashing key is configured; otherwise it is refused, saying which key to set.
 */
public final class FeedAdapters {

    private final FeedCatalog catalog;
    private final Map<Feed, FeedAdapter> adapters;
    /** Why a feed has no adapter. */
    private final Map<Feed, String> refused;

    private FeedAdapters(final FeedCatalog catalog, final Map<Feed, FeedAdapter> adapters,
            final Map<Feed, String> refused) {
        this.catalog = catalog;
        this.adapters = Map.copyOf(adapters);
        this.refused = Map.copyOf(refused);
    }

    /** The adapter of every feed of the configured catalog ({@code feeds.dir}) over {@code geography}. */
    public static FeedAdapters of(final HubConfig config, final Geography geography) {
        return of(config, geography, FeedCatalog.of(config));
    }

    /** Every feed's adapter over {@code geography}, hashing with {@link HubConfig#IDVA_CLIENT_KEY}. */
    public static FeedAdapters of(final HubConfig config, final Geography geography, final FeedCatalog catalog) {
        final AreaResolver areas = new AreaResolver(geography);
        final Map<Feed, FeedAdapter> adapters = new LinkedHashMap<>();
        final Map<Feed, String> refused = new LinkedHashMap<>();
        for (final Feed feed : catalog.feeds()) {
            final FeedContract contract = feed.contract();
            try {
                adapters.put(feed, new FeedAdapter(contract, areas, () -> ClientHasher.fromConfig(config)));
            } catch (IllegalStateException e) {
                refused.put(feed, e.getMessage());
            }
        }
        return new FeedAdapters(catalog, adapters, refused);
    }

    /** The feeds there are adapters for (or refusals of). */
    public FeedCatalog catalog() {
        return catalog;
    }

    /** The feed's adapter; for a feed that needs a key not configured, an {@link IllegalStateException} saying which. */
    public FeedAdapter of(final Feed feed) {
        final FeedAdapter adapter = adapters.get(feed);
        if (adapter == null) {
            throw new IllegalStateException(refused.getOrDefault(feed, "No adapter for " + feed));
        }
        return adapter;
    }
}
