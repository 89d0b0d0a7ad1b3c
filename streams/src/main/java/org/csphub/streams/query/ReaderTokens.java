package org.csphub.streams.query;

import java.util.Optional;
import org.csphub.access.AccessPolicy;
import org.csphub.access.Audience;
import org.csphub.access.MetricReader;

/**
 * Who asks the query API, by the bearer token of a request: no token is the public; a token that is a
 * reader's (its {@code token_sha256} in the access file) is that reader, with its audience; any other
 * token, or another kind of credential, is no one the API answers.
 */
public final class ReaderTokens {

    private static final String BEARER = "bearer ";

    private final AccessPolicy policy;

    private ReaderTokens(final AccessPolicy policy) {
        this.policy = policy;
    }

    /** The readers of {@code policy} (the research group and those of {@code readers:}) that have a token. */
    public static ReaderTokens of(final AccessPolicy policy) {
        return new ReaderTokens(policy);
    }

    /** No reader has a token: every request without one is answered with the public view, every other refused. */
    public static ReaderTokens none() {
        return new ReaderTokens(null);
    }

    /**
     * The reader a request's {@code Authorization} header names: empty for no header (the public), the
     * reader for a known bearer token; {@link UnknownCaller} for anything else.
     */
    public Optional<MetricReader> readerOf(final String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new UnknownCaller("Send a bearer token (Authorization: Bearer <token>), or none for the published "
                    + "figures");
        }
        final String token = authorization.substring(BEARER.length()).trim();
        final Optional<MetricReader> reader = policy == null || token.isEmpty() ? Optional.empty()
                : policy.readerForToken(token);
        return Optional.of(reader.orElseThrow(() -> new UnknownCaller("The token is not known; ask without one "
                + "for the published figures")));
    }

    /** The audience of a request: the public without a token, the reader's with its token. */
    public Audience audienceOf(final String authorization) {
        return readerOf(authorization).map(MetricReader::audience).orElse(Audience.PUBLIC);
    }

    /** A request whose credential names no reader: answered 401. */
    public static final class UnknownCaller extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownCaller(final String message) {
            super(message);
        }
    }
}
