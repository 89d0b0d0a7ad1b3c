package org.csphub.producers.intake;

import org.csphub.topics.Feed;

/** Where a feed's accepted and rejected rows go: its raw topic and its dead-letter topic. */
public record FeedTopics(String raw, String deadLetter) {

    public static FeedTopics of(final Feed feed) {
        return new FeedTopics(feed.rawTopic(), feed.deadLetterTopic());
    }
}
