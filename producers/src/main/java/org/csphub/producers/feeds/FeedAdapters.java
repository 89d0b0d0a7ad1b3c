package org.csphub.producers.feeds;

import java.util.EnumMap;
import java.util.Map;
import org.csphub.config.HubConfig;
import org.csphub.geography.Geography;
import org.csphub.producers.feeds.ambulance.AmbulanceCalloutAdapter;
import org.csphub.producers.feeds.asb.AsbIncidentAdapter;
import org.csphub.producers.feeds.fire.FireIncidentAdapter;
import org.csphub.producers.feeds.idva.IdvaReferralAdapter;
import org.csphub.producers.privacy.ClientHasher;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.topics.Feed;

/** The adapter of each feed. The IDVA adapter exists only when its hashing key is configured. */
public final class FeedAdapters {

    private final Map<Feed, FeedAdapter> adapters;
    private final String idvaUnavailable;

    private FeedAdapters(final Map<Feed, FeedAdapter> adapters, final String idvaUnavailable) {
        this.adapters = adapters;
        this.idvaUnavailable = idvaUnavailable;
    }

    /** Every adapter over {@code geography}; without {@link HubConfig#IDVA_CLIENT_KEY} the IDVA feed is refused. */
    public static FeedAdapters of(final HubConfig config, final Geography geography) {
        final AreaResolver areas = new AreaResolver(geography);
        final Map<Feed, FeedAdapter> adapters = new EnumMap<>(Feed.class);
        adapters.put(Feed.POLICE_ASB, new AsbIncidentAdapter(areas));
        adapters.put(Feed.AMBULANCE_CALLOUTS, new AmbulanceCalloutAdapter(areas));
        adapters.put(Feed.FIRE_INCIDENTS, new FireIncidentAdapter(areas));
        String unavailable = null;
        try {
            adapters.put(Feed.IDVA_REFERRALS, new IdvaReferralAdapter(areas, ClientHasher.fromConfig(config)));
        } catch (IllegalStateException e) {
            unavailable = e.getMessage();
        }
        return new FeedAdapters(adapters, unavailable);
    }

    /** The feed's adapter; for IDVA without a key, an {@link IllegalStateException} saying which key to set. */
    public FeedAdapter of(final Feed feed) {
        final FeedAdapter adapter = adapters.get(feed);
        if (adapter == null) {
            throw new IllegalStateException(idvaUnavailable != null ? idvaUnavailable : "No adapter for " + feed);
        }
        return adapter;
    }
}
