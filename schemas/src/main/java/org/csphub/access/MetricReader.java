package org.csphub.access;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A principal that reads metrics and nothing else: the sinks, the research group or another reader
 * of the access file (an open-data portal, say). Its {@link Audience} decides what it reads: a partner
 * the metric topics and the published topics, the public the published topics only. Its consumer
 * groups must start with {@code groupPrefix}. A reader with a {@code tokenSha256} may also ask the HTTP
 * query API, which answers it with its audience's view.
 *
 * @param name        how messages and logs name it
 * @param tokenSha256 the SHA-256 of its query API token in lower-case hex, or null when it has none
 * @param line        where it is declared in its access file, for messages
 */
public record MetricReader(String name, String principal, String groupPrefix, Audience audience,
        String tokenSha256, int line) {

    /** Whether {@code token} is this reader's query API token; compares the hashes in constant time. */
    public boolean acceptsToken(final String token) {
        return tokenSha256 != null && MessageDigest.isEqual(Agency.sha256(token), HexFormat.of().parseHex(tokenSha256));
    }

    @Override
    public String toString() {
        // the hash stays out of logs, as an agency's does
        return "MetricReader[" + name + ", principal " + principal + ", " + audience + "]";
    }
}
