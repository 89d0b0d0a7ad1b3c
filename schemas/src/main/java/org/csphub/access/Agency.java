package org.csphub.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import org.csphub.topics.Feed;

/**
 * A partner agency: the feeds it may publish, the Kafka principal its adapters connect as, and the
 * SHA-256 of its HTTP intake token (the token itself is never stored).
 *
 * @param line where the agency is declared in its access file, for messages
 */
public record Agency(String name, Set<Feed> feeds, String principal, String tokenSha256, int line) {

    public Agency {
        feeds = Set.copyOf(feeds);
    }

    public boolean mayPublish(final Feed feed) {
        return feeds.contains(feed);
    }

    /** Whether {@code token} is this agency's intake token; compares the hashes in constant time. */
    public boolean acceptsToken(final String token) {
        return MessageDigest.isEqual(sha256(token), HexFormat.of().parseHex(tokenSha256));
    }

    /** The SHA-256 of a token, in lower-case hex, as the access file holds it. */
    public static String tokenHash(final String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    static byte[] sha256(final String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        // the hash stays out of logs: it is what an attacker would brute-force offline
        return "Agency[" + name + ", principal " + principal + ", feeds " + feeds + "]";
    }
}
