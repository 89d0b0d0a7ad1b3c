package org.csphub.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where Apicurio Registry's distribution was unpacked. The build unpacks it beside the embedded
 * stack's classes (and records where); {@code CSP_HUB_APICURIO_HOME} or the system property
 * {@code csphub.apicurio.home} point at another copy.
 */
public final class ApicurioDistribution {

    private static final String RUNNER = "quarkus-run.jar";

    private final Path home;
    private final String version;

    private ApicurioDistribution(final Path home, final String version) {
        this.home = home;
        this.version = version;
    }

    public static ApicurioDistribution locate() {
        final Properties built = new Properties();
        try (InputStream in = ApicurioDistribution.class.getResourceAsStream("/csp-hub-embedded.properties")) {
            if (in != null) {
                built.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String configured = System.getProperty("csphub.apicurio.home");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("CSP_HUB_APICURIO_HOME");
        }
        final String where = configured != null && !configured.isBlank() ? configured
                : built.getProperty("apicurio.home", "");
        final Path home = Path.of(where).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve(RUNNER))) {
            throw new IllegalStateException("Apicurio Registry's distribution was not found in " + home
                    + " (no " + RUNNER + "). Build the project with 'mvn package' (it fetches and unpacks "
                    + "io.apicurio:apicurio-registry-app:" + built.getProperty("apicurio.version", "?")
                    + ":tar.gz:all), or set CSP_HUB_APICURIO_HOME to an unpacked copy.");
        }
        return new ApicurioDistribution(home, built.getProperty("apicurio.version", "unknown"));
    }

    public Path home() {
        return home;
    }

    public Path runner() {
        return home.resolve(RUNNER);
    }

    public String version() {
        return version;
    }
}
