package org.csphub.producers.http;

import org.csphub.producers.intake.IntakeSummary;
import org.csphub.topics.Feed;

/** Told of each export the HTTP intake accepted (answered 200), for example to count intake per feed. */
@FunctionalInterface
public interface IntakeListener {

    /**
     * @param feed the feed the export was published to
     * @param summary what became of its rows
     * @param bytes the size of the body received
     */
    void accepted(Feed feed, IntakeSummary summary, long bytes);
}
