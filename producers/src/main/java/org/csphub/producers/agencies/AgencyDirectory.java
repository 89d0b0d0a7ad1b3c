package org.csphub.producers.agencies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.csphub.topics.Feed;

/**
 * The agencies file: who may push which feed over HTTP. Only the SHA-256 of each token is stored, so
 * the file discloses no token; a presented token is hashed and compared in constant time with every
 * agency's hash.
 *
 * <pre>
 * agencies:
 *   - name: Cambridgeshire Constabulary
 *     feeds: [police-asb]
 *     token_sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
 * </pre>
 */
public final class AgencyDirectory {

    private final List<Agency> agencies;

    public AgencyDirectory(final List<Agency> agencies) {
        this.agencies = List.copyOf(agencies);
    }

    public static AgencyDirectory read(final Path file) {
        final JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the agencies file " + file, e);
        }
        final JsonNode list = root == null ? null : root.get("agencies");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(file + ": expected a list under 'agencies:'");
        }
        final List<Agency> agencies = new ArrayList<>();
        for (final JsonNode entry : list) {
            final String name = text(entry, "name", file);
            final String hash = text(entry, "token_sha256", file).toLowerCase(Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(file + ": agency '" + name
                        + "' has a token_sha256 that is not 64 hexadecimal digits");
            }
            final Set<Feed> feeds = new LinkedHashSet<>();
            final JsonNode feedList = entry.get("feeds");
            if (feedList == null || !feedList.isArray()) {
                throw new IllegalArgumentException(file + ": agency '" + name + "' needs a list of feeds");
            }
            feedList.forEach(feed -> feeds.add(Feed.fromName(feed.asText())));
            agencies.add(new Agency(name, feeds, hash));
        }
        return new AgencyDirectory(agencies);
    }

    private static String text(final JsonNode entry, final String field, final Path file) {
        final JsonNode value = entry.get(field);
        if (value == null || value.asText().isBlank()) {
            throw new IllegalArgumentException(file + ": an agency lacks '" + field + "'");
        }
        return value.asText().trim();
    }

    public List<Agency> agencies() {
        return agencies;
    }

    /** The agency whose token this is. Every agency is compared, so the time taken says nothing of which matched. */
    public Optional<Agency> authenticate(final String token) {
        final byte[] presented = sha256(token);
        Agency found = null;
        for (final Agency agency : agencies) {
            if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(agency.tokenSha256())) && found == null) {
                found = agency;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The SHA-256 of a token as the agencies file stores it (hex). */
    public static String hashOf(final String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(final String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
