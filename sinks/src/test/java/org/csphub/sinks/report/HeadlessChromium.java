package org.csphub.sinks.report;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium driven over the DevTools protocol, for tests that look at a page as a browser lays it
 * out: every request the page made, every console message and exception, and the values of scripts run
 * in it. Used by this module's report test and, through the test jar, by the hub's demo test.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Why a browser test is skipped where {@link #find()} finds nothing. */
    public static final String NOT_INSTALLED = "no Chromium on this machine (looked for chromium, chromium-browser, "
            + "google-chrome on PATH and $CHROMIUM_BIN); install Debian's chromium package to run this test";

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process browser;
    private final DevToolsSession devTools;

    private HeadlessChromium(final Process browser, final DevToolsSession devTools) {
        this.browser = browser;
        this.devTools = devTools;
    }

    /** The Chromium executable: {@code $CHROMIUM_BIN}, else the first of the usual names on {@code PATH}. */
    public static Optional<Path> find() {
        final Optional<Path> configured = Optional.ofNullable(System.getenv("CHROMIUM_BIN")).map(Path::of)
                .filter(Files::isExecutable);
        if (configured.isPresent()) {
            return configured;
        }
        final String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    /** Starts the browser {@link #find()} finds, or skips the calling test where none is installed. */
    public static HeadlessChromium startOrSkip() throws Exception {
        final Optional<Path> chromium = find();
        Assumptions.assumeTrue(chromium.isPresent(), NOT_INSTALLED);
        return start(chromium.get());
    }

    /** The text of each element of a JSON array, as a page script returned it. */
    public static List<String> texts(final JsonNode array) {
        final List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /**
     * Starts the browser with a fresh profile under the build's work folder (Chromium leaves links to its
     * own temporary files in its profile) and connects to it.
     */
    public static HeadlessChromium start(final Path executable) throws Exception {
        final Path work = Path.of(System.getProperty("csphub.test.work", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
        final Path profile = Files.createTempDirectory(work, "chromium-");
        final Process browser = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            final URI endpoint = URI.create(devToolsEndpoint(browser).get(60, TimeUnit.SECONDS));
            return new HeadlessChromium(browser, DevToolsSession.connect(endpoint));
        } catch (Exception e) {
            stop(browser);
            throw e;
        }
    }

    /**
     * Opens {@code url} in a new tab, with the page, network, runtime and log events recorded from before
     * the first request, and waits for its load event.
     */
    public Page open(final String url, final Duration timeout) throws Exception {
        final String target = devTools.send("Target.createTarget",
                DevToolsSession.params().put("url", "about:blank"), null).get("targetId").asText();
        final String session = devTools.send("Target.attachToTarget",
                DevToolsSession.params().put("targetId", target).put("flatten", true), null)
                .get("sessionId").asText();
        for (final String domain : List.of("Page", "Network", "Runtime", "Log")) {
            devTools.send(domain + ".enable", null, session);
        }
        devTools.send("Page.navigate", DevToolsSession.params().put("url", url), session);
        final Page page = new Page(session);
        await("the page " + url + " to load").atMost(timeout).pollInSameThread().until(() -> page.events().stream()
                .anyMatch(event -> "Page.loadEventFired".equals(event.path("method").asText())));
        return page;
    }

    /** One tab. */
    public final class Page {

        private final String session;

        private Page(final String session) {
            this.session = session;
        }

        /** The value of a script that ends in {@code JSON.stringify(...)}, parsed. */
        public JsonNode evaluateJson(final String expression) throws Exception {
            final JsonNode result = devTools.send("Runtime.evaluate",
                    DevToolsSession.params().put("expression", expression).put("returnByValue", true), session);
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException("The script failed in the page: " + result.get("exceptionDetails"));
            }
            return JSON.readTree(result.path("result").path("value").asText());
        }

        /** The URL of every request the page sent, in order. */
        public List<String> requestedUrls() {
            return events().stream().filter(event -> "Network.requestWillBeSent".equals(event.path("method").asText()))
                    .map(event -> event.path("params").path("request").path("url").asText()).toList();
        }

        /** Every exception thrown in the page, and every console or log message at warning level or above. */
        public List<JsonNode> problems() {
            return events().stream().filter(HeadlessChromium::isProblem).toList();
        }

        /** Every event of this tab received so far. */
        public List<JsonNode> events() {
            return devTools.events().stream().filter(event -> session.equals(event.path("sessionId").asText()))
                    .toList();
        }
    }

    private static boolean isProblem(final JsonNode event) {
        final String method = event.path("method").asText();
        final JsonNode params = event.path("params");
        return "Runtime.exceptionThrown".equals(method)
                || "Runtime.consoleAPICalled".equals(method) && List.of("error", "warning", "assert")
                        .contains(params.path("type").asText())
                || "Log.entryAdded".equals(method) && List.of("error", "warning")
                        .contains(params.path("entry").path("level").asText());
    }

    private static CompletableFuture<String> devToolsEndpoint(final Process browser) {
        final CompletableFuture<String> endpoint = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("chromium-stderr").start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(browser.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    final Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        endpoint.complete(matcher.group(1));
                    }
                }
                endpoint.completeExceptionally(new IllegalStateException("Chromium ended without a DevTools port"));
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
        });
        return endpoint;
    }

    @Override
    public void close() {
        try {
            devTools.close();
        } finally {
            stop(browser);
        }
    }

    private static void stop(final Process browser) {
        browser.destroy();
        try {
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        } catch (InterruptedException e) {
            browser.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
