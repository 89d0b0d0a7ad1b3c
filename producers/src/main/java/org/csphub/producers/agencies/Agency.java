package org.csphub.producers.agencies;

import java.util.Set;
import org.csphub.topics.Feed;

/** A partner agency allowed to push feeds: its name, the feeds it may publish, and the SHA-256 of its token (hex). */
public record Agency(String name, Set<Feed> feeds, String tokenSha256) {

    public Agency {
        feeds = Set.copyOf(feeds);
    }

    public boolean mayPublish(final Feed feed) {
        return feeds.contains(feed);
    }
}
