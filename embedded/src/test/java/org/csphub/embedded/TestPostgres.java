package org.csphub.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the tests of one JVM use, chosen once: the one {@value #URL_VARIABLE} names when it
 * is set; else the machine's own on 127.0.0.1:5432 (database {@code test}, user {@code postgres} without a
 * password) when it answers; else an embedded one, started for this JVM and stopped when it exits.
 * {@value #MODE_VARIABLE}{@code =embedded} (or the system property {@value #MODE_PROPERTY}) skips the first two,
 * so that a machine with a server of its own can still test the embedded one.
 */
public final class TestPostgres {

    private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);

    /** A JDBC URL (it may carry {@code user} and {@code password}) of a server the tests may create schemas in. */
    public static final String URL_VARIABLE = "CSP_HUB_TEST_POSTGRES_URL";
    /** {@code embedded} to use the embedded server whatever else answers. */
    public static final String MODE_VARIABLE = "CSP_HUB_TEST_POSTGRES";
    public static final String MODE_PROPERTY = "csphub.test.postgres";
    /** The machine's own server, as the project's CI starts it. */
    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";

    /** Where the server came from. */
    public enum Kind {
        /** named by {@value #URL_VARIABLE} */
        GIVEN,
        /** the machine's own on 127.0.0.1:5432 */
        LOCAL,
        /** embedded, started by these tests */
        EMBEDDED
    }

    private static TestPostgres chosen;

    private final Kind kind;
    private final String url;
    private final EmbeddedPostgres embedded;

    private TestPostgres(final Kind kind, final String url, final EmbeddedPostgres embedded) {
        this.kind = kind;
        this.url = url;
        this.embedded = embedded;
    }

    /** The server of this JVM's tests, chosen (and started, when embedded) by the first caller. */
    public static synchronized TestPostgres get() {
        if (chosen == null) {
            chosen = choose();
            LOG.info("PostgreSQL for the tests: {} ({})", chosen.url, chosen.kind);
        }
        return chosen;
    }

    private static TestPostgres choose() {
        final boolean embeddedOnly = "embedded".equalsIgnoreCase(setting(MODE_PROPERTY, MODE_VARIABLE));
        final String given = System.getenv(URL_VARIABLE);
        if (!embeddedOnly && given != null && !given.isBlank()) {
            return new TestPostgres(Kind.GIVEN, given.trim(), null);
        }
        if (!embeddedOnly && answers(LOCAL_URL)) {
            return new TestPostgres(Kind.LOCAL, LOCAL_URL, null);
        }
        try {
            final EmbeddedPostgres server = EmbeddedPostgres.start(EmbeddedStackExtension.freshDataDir(), 0,
                    Duration.ofSeconds(120));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-shutdown"));
            return new TestPostgres(Kind.EMBEDDED, server.url(), server);
        } catch (Exception e) {
            throw new IllegalStateException("No PostgreSQL for the tests: " + URL_VARIABLE + " is not set, nothing "
                    + "answers at " + LOCAL_URL + ", and the embedded server did not start: " + e.getMessage(), e);
        }
    }

    private static String setting(final String property, final String variable) {
        final String value = System.getProperty(property);
        return value != null && !value.isBlank() ? value.trim() : Optional.ofNullable(System.getenv(variable))
                .map(String::trim).orElse("");
    }

    private static boolean answers(final String url) {
        final Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", "");
        properties.setProperty("connectTimeout", "3");
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The server's JDBC URL; connect as {@link #USER} without a password (a given URL's own user wins). */
    public String url() {
        return url;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return "";
    }

    /** A new connection, auto-committing. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, USER, "");
    }

    /** Why {@link #restart()} cannot restart this server on this machine, or empty when it can. */
    public Optional<String> whyNoRestart() {
        return switch (kind) {
            case EMBEDDED -> Optional.empty();
            case GIVEN -> Optional.of("the server " + url + " is named by " + URL_VARIABLE
                    + "; these tests do not manage it");
            case LOCAL -> {
                final boolean pgCtlCluster = onPath("pg_ctlcluster").isPresent();
                final String user = System.getProperty("user.name");
                final Optional<String> version = clusterVersion();
                yield version.isPresent() && pgCtlCluster && "root".equals(user) ? Optional.empty()
                        : Optional.of("restarting the machine's PostgreSQL needs pg_ctlcluster, a cluster under "
                                + "/etc/postgresql/<version>/main and root; this machine has "
                                + version.map(v -> "cluster " + v).orElse("no cluster") + ", "
                                + (pgCtlCluster ? "pg_ctlcluster" : "no pg_ctlcluster") + " and user " + user);
            }
        };
    }

    /**
     * Restarts the server, ending every session on it: the embedded one on the same port and cluster, the
     * machine's own with {@code pg_ctlcluster ... main restart}.
     */
    public void restart(final Path log) throws Exception {
        final Optional<String> refusal = whyNoRestart();
        if (refusal.isPresent()) {
            throw new IllegalStateException(refusal.get());
        }
        if (kind == Kind.EMBEDDED) {
            embedded.restart(Duration.ofSeconds(120));
            return;
        }
        final Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect",
                clusterVersion().orElseThrow(), "main", "restart").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!restart.waitFor(120, TimeUnit.SECONDS)) {
            restart.destroyForcibly();
            throw new IllegalStateException("pg_ctlcluster restart did not end within 120 s");
        }
        if (restart.exitValue() != 0) {
            throw new IllegalStateException("pg_ctlcluster restart failed: " + Files.readString(log,
                    StandardCharsets.UTF_8));
        }
    }

    /** The newest cluster version under /etc/postgresql that has a cluster named main. */
    private static Optional<String> clusterVersion() {
        final Path clusters = Path.of("/etc/postgresql");
        if (!Files.isDirectory(clusters)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(clusters)) {
            return versions.filter(version -> Files.isDirectory(version.resolve("main")))
                    .map(version -> version.getFileName().toString())
                    .max(Comparator.comparing(TestPostgres::versionNumber));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static double versionNumber(final String version) {
        try {
            return Double.parseDouble(version);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<Path> onPath(final String command) {
        return Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }

    @Override
    public String toString() {
        return url + " (" + kind + ")";
    }
}
