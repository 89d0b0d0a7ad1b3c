package org.csphub.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry, run as a child process from its distribution with a Java 21+ runtime,
 * serving the Confluent-compatible API at {@code /apis/ccompat/v7} on loopback. Schemas are kept in
 * an H2 file under {@code dataDir/registry}, so that the schema ids referenced by records already on
 * the broker still resolve after a restart.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";

    private final Path dataDir;
    private final int port;
    private ChildProcess process;

    private EmbeddedRegistry(final Path dataDir, final int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static EmbeddedRegistry start(final Path dataDir, final int port, final Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        final EmbeddedRegistry registry = new EmbeddedRegistry(dataDir.toAbsolutePath(), Ports.freeIfZero(port));
        registry.startProcess(timeout);
        return registry;
    }

    /** The base URL of the Confluent-compatible API, as a schema registry client wants it. */
    public String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_API_PATH;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return process.logFile();
    }

    /** The child process's id. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void startProcess(final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        final ApicurioDistribution distribution = ApicurioDistribution.locate();
        final JavaRuntime java = JavaRuntime.atLeast(21);
        final Path workDir = dataDir.resolve("registry");
        Files.createDirectories(workDir);
        final Path watchdog = writeWatchdog(workDir);
        // WRITE_DELAY=0: H2 writes a commit to the file before the registry answers; with its default
        // (500 ms, longer while busy) a crash lost acknowledged schemas, 7 of 40 registered just before a SIGKILL
        final String database = "jdbc:h2:file:" + workDir.resolve("db").resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        final long started = System.nanoTime();
        process = ChildProcess.startJava("schema-registry", java,
                List.of("-Xms128m", "-Xmx512m",
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=" + port,
                        // the management interface is fixed on at the distribution's build; keep it on loopback
                        "-Dquarkus.management.host=127.0.0.1",
                        "-Dquarkus.management.port=" + Ports.freeIfZero(0),
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "-Dquarkus.log.level=WARN",
                        "-Dquarkus.log.category.\"io.quarkus\".level=INFO",
                        "-Dquarkus.http.access-log.enabled=false",
                        "-Dapicurio.datasource.url=" + database,
                        "-Dapicurio.datasource.jdbc.initial-size=2",
                        "-Dapicurio.datasource.jdbc.min-size=2",
                        "-Dapicurio.datasource.jdbc.max-size=20",
                        "-Dapicurio.storage.snapshot.location=" + workDir,
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"),
                distribution.runner() + File.pathSeparator + watchdog,
                "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), workDir);
        try {
            Deadline.await("Apicurio Registry's start on " + url(), timeout, this::answers, () -> !process.isAlive());
        } catch (IllegalStateException | TimeoutException e) {
            final String tail = process.logTail(40);
            process.close();
            throw new IllegalStateException(e.getMessage() + "; its log " + process.logFile() + " ends:\n" + tail, e);
        }
        LOG.info("Schema registry (Apicurio {} on {}) ready at {} in {} ms", distribution.version(), java, url(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * Copies the watchdog class into a folder of its own, so that the registry's class path holds its
     * distribution and that one class, and nothing of the hub's.
     */
    private static Path writeWatchdog(final Path workDir) throws IOException {
        final String resource = ParentWatchdog.class.getName().replace('.', '/') + ".class";
        final Path root = workDir.resolve("watchdog");
        final Path target = root.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = ParentWatchdog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Cannot read " + resource + " from the class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return root;
    }

    private boolean answers() {
        if (!Tcp.accepts(port)) {
            return false;
        }
        try {
            final HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void stop() {
        if (process != null) {
            process.close();
        }
    }

    /** Ends the registry at once, as a crash would; {@link #restart(Duration)} brings it back on its storage. */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public void restart(final Duration timeout) throws IOException, TimeoutException, InterruptedException {
        stop();
        startProcess(timeout);
    }

    @Override
    public void close() {
        stop();
    }
}
