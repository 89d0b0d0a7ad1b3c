package org.csphub.producers.feeds;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.csphub.config.HubConfig;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.ShippedContracts;
import org.csphub.geography.Geography;
import org.csphub.producers.privacy.ClientHasher;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.topics.Feed;

/**
 * The adapter of each shipped feed, built from its contract. A feed with a person's reference has an
 * adapter only when the hashing key is configured; otherwise it is refused, saying which key to set.
 */
public final class FeedAdapters {

    private final Map<Feed, FeedAdapter> adapters;
    /** Why a feed has no adapter. */
    private final Map<Feed, String> refused;

    private FeedAdapters(final Map<Feed, FeedAdapter> adapters, final Map<Feed, String> refused) {
        this.adapters = Map.copyOf(adapters);
        this.refused = Map.copyOf(refused);
    }

    /** Every shipped feed's adapter over {@code geography}, hashing with {@link HubConfig#IDVA_CLIENT_KEY}. */
    public static FeedAdapters of(final HubConfig config, final Geography geography) {
        final AreaResolver areas = new AreaResolver(geography);
        final Map<Feed, FeedAdapter> adapters = new EnumMap<>(Feed.class);
        final Map<Feed, String> refused = new EnumMap<>(Feed.class);
        for (final FeedContract contract : ShippedContracts.all()) {
            // a shipped contract the hub does not run yet has no intake
            final Feed feed = Arrays.stream(Feed.values()).filter(f -> f.slug().equals(contract.slug())).findFirst()
                    .orElse(null);
            if (feed == null) {
                continue;
            }
            try {
                adapters.put(feed, new FeedAdapter(contract, areas, () -> ClientHasher.fromConfig(config)));
            } catch (IllegalStateException e) {
                refused.put(feed, e.getMessage());
            }
        }
        return new FeedAdapters(adapters, refused);
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
