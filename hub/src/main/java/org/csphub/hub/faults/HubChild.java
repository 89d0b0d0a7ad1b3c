package org.csphub.hub.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.csphub.embedded.ParentWatchdog;
import org.csphub.hub.HubCommand;
import org.csphub.hub.demo.CatchUp;

/**
 * A long-running hub command ({@code hub streams}, {@code hub sink postgres}) in a JVM of its own, as an
 * operator runs it, which a fault ends as a crash would (SIGKILL) and which is then started again with the
 * same arguments. Its output goes to a log file; it serves {@code /ready} and {@code /metrics} on its port.
 */
final class HubChild implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final int port;
    private final Path log;
    private Process process;

    /**
     * @param arguments the hub command's arguments, {@code --port} excluded
     * @param environment settings for the child's environment ({@code CSP_HUB_...})
     */
    HubChild(final String name, final List<String> arguments, final Map<String, String> environment, final int port,
            final Path log) {
        this.name = name;
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
        this.port = port;
        this.log = log;
    }

    String name() {
        return name;
    }

    void start() throws IOException {
        Files.createDirectories(log.getParent());
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), ParentWatchdog.class.getName(),
                HubCommand.class.getName()));
        command.addAll(arguments);
        command.addAll(List.of("--port", Integer.toString(port)));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // the campaign's settings alone, not those of the shell it was started from
        builder.environment().keySet().removeIf(variable -> variable.startsWith("CSP_HUB_"));
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /** Ends the process at once (SIGKILL): no shutdown hook runs, nothing is flushed or committed. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until {@code /ready} answers 200; fails at once should the process end. */
    void awaitReady(final Duration timeout) throws InterruptedException, TimeoutException {
        CatchUp.await(name + "'s /ready on port " + port, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " stopped with exit code " + process.exitValue()
                        + "; its log: " + log);
            }
            return get("/ready").map(HttpResponse::statusCode).orElse(0) == 200;
        }, timeout);
    }

    /** The process's Prometheus metrics, empty when it does not answer. */
    String metrics() {
        return get("/metrics").filter(response -> response.statusCode() == 200).map(HttpResponse::body).orElse("");
    }

    private Optional<HttpResponse<String>> get(final String path) {
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
