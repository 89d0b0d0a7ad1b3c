package org.csphub.producers.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.csphub.config.HubConfig;

/**
 * The keyed hash (HMAC-SHA256, hex) that replaces a client reference before it leaves the agency's
 * adapter: the same client gives the same hash, so repeats can be counted, and without the key the
 * reference cannot be recovered by hashing guesses.
 */
public final class ClientHasher {

    /** A shorter key could be guessed; sixteen characters is the least the adapter accepts. */
    public static final int MINIMUM_KEY_LENGTH = 16;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public ClientHasher(final byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** The hasher keyed by {@link HubConfig#IDVA_CLIENT_KEY}; refuses to exist without a key. */
    public static ClientHasher fromConfig(final HubConfig config) {
        final String secret = config.find(HubConfig.IDVA_CLIENT_KEY).orElseThrow(() -> new IllegalStateException(
                "The IDVA adapter needs a key to pseudonymise client references: set " + HubConfig.IDVA_CLIENT_KEY
                        + " (or " + HubConfig.environmentVariable(HubConfig.IDVA_CLIENT_KEY) + ") to a secret of at least "
                        + MINIMUM_KEY_LENGTH + " characters that stays with the agency"));
        if (secret.length() < MINIMUM_KEY_LENGTH) {
            throw new IllegalStateException(HubConfig.IDVA_CLIENT_KEY + " is too short: use at least "
                    + MINIMUM_KEY_LENGTH + " characters");
        }
        return new ClientHasher(secret.getBytes(StandardCharsets.UTF_8));
    }

    public String hash(final String clientReference) {
        try {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(clientReference.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }
}
