package org.csphub.producers.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.csphub.feeds.RejectedRecord;
import org.csphub.feeds.RejectionReason;
import org.csphub.producers.validation.FieldLimits;
import org.csphub.topics.Feed;

/**
 * The dead-letter record of a refused row, keyed by where it came from. A dead letter always fits its
 * topic: it keeps the row's text up to {@link #RAW_TEXT_LIMIT} characters, and when the row was longer,
 * its full length and SHA-256 instead of the rest.
 */
public final class DeadLetters {

    /** As long as the longest row the default limits let through, so that only a row refused for its size is cut. */
    public static final int RAW_TEXT_LIMIT = FieldLimits.DEFAULTS.row();

    private DeadLetters() {
    }

    /** The key of a refused row: {@code <source>:<line>}, unique within an intake and stable when it is re-sent. */
    public static String keyOf(final String source, final long line) {
        return source + ":" + line;
    }

    /** The dead letter of a row on one line. */
    public static RejectedRecord recordOf(final Feed feed, final String source, final long line, final String rawText,
            final List<RejectionReason> reasons, final Instant rejectedAt) {
        return recordOf(feed, source, line, line, rawText, reasons, rejectedAt);
    }

    /** The dead letter of a row on lines {@code line} to {@code lastLine}. */
    public static RejectedRecord recordOf(final Feed feed, final String source, final long line, final long lastLine,
            final String rawText, final List<RejectionReason> reasons, final Instant rejectedAt) {
        final RejectedRecord.Builder record = RejectedRecord.newBuilder().setFeed(feed.slug()).setSource(source)
                .setLineNumber(line > 0 ? line : null).setLastLineNumber(lastLine > line ? lastLine : null)
                .setReasons(reasons).setRejectedAt(rejectedAt);
        if (rawText.length() <= RAW_TEXT_LIMIT) {
            return record.setRawText(rawText).build();
        }
        return record.setRawText(beginning(rawText)).setRawLength((long) rawText.length()).setRawSha256(sha256(rawText))
                .build();
    }

    /** The first {@link #RAW_TEXT_LIMIT} characters, without splitting a character made of two. */
    public static String beginning(final String text) {
        if (text.length() <= RAW_TEXT_LIMIT) {
            return text;
        }
        final int end = Character.isHighSurrogate(text.charAt(RAW_TEXT_LIMIT - 1)) ? RAW_TEXT_LIMIT - 1 : RAW_TEXT_LIMIT;
        return text.substring(0, end);
    }

    /** The SHA-256 of {@code text} in UTF-8, in lower-case hex. */
    public static String sha256(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
