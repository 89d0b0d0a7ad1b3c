package org.csphub.producers.deadletter;

import java.time.Instant;
import java.util.List;
import org.csphub.feeds.RejectedRecord;
import org.csphub.feeds.RejectionReason;
import org.csphub.topics.Feed;

/** The dead-letter record of a refused row, keyed by where it came from. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** The key of a refused row: {@code <source>:<line>}, unique within an intake and stable when it is re-sent. */
    public static String keyOf(final String source, final long line) {
        return source + ":" + line;
    }

    public static RejectedRecord recordOf(final Feed feed, final String source, final long line, final String rawText,
            final List<RejectionReason> reasons, final Instant rejectedAt) {
        return RejectedRecord.newBuilder().setFeed(feed.slug()).setSource(source).setLineNumber(line > 0 ? line : null)
                .setRawText(rawText).setReasons(reasons).setRejectedAt(rejectedAt).build();
    }
}
