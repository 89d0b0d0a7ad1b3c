package org.csphub.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.File;
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
import org.csphub.sinks.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Opens the rendered report, served over HTTP, in headless Chromium and looks at it through the
 * DevTools protocol: the figures and their charts as the browser lays them out, every request the
 * page made and every console message. Skipped where no Chromium is installed.
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReportInChromiumIT {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final String INSPECT = """
            JSON.stringify({
              headings: [...document.querySelectorAll('h1, h2, h3')].map(h => h.tagName + ' ' + h.textContent),
              figures: [...document.querySelectorAll('figure')].map(f => {
                const svg = f.querySelector('svg[role=img]');
                return {id: f.id, heading: f.querySelector('h3') ? f.querySelector('h3').textContent : null,
                        shapes: svg ? svg.querySelectorAll('path, rect, line, polyline, text').length : 0,
                        width: svg ? Math.round(svg.getBoundingClientRect().width) : 0,
                        label: svg ? svg.querySelector('title').textContent : null};
              }),
              idvaTotal: [...document.querySelectorAll('#idva-table tr.total > *')].map(c => c.innerText.trim())
            })""";

    private static Javalin server;
    private static String reportUrl;

    @BeforeAll
    static void serveReport() {
        final String html = new StrategicAssessmentReport(ReportFixtures.disclosure(), ReportFixtures.GEOGRAPHY)
                .render(ReportFixtures.metrics(), ReportFixtures.OPTIONS);
        server = Javalin.create().get("/report.html", context -> context.html(html)).start("127.0.0.1", 0);
        reportUrl = "http://127.0.0.1:" + server.port() + "/report.html";
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void shouldShowEveryFigureWithoutRequestsOrErrors() throws Exception {
        final Optional<Path> chromium = chromium();
        Assumptions.assumeTrue(chromium.isPresent(),
                "no Chromium on this machine (looked for chromium, chromium-browser, google-chrome on PATH and "
                        + "$CHROMIUM_BIN); install Debian's chromium package to run this test");
        // under the build's work folder: Chromium leaves links to its own temporary files in its profile
        final Path work = Path.of(System.getProperty("csphub.test.work", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
        final Path profile = Files.createTempDirectory(work, "chromium-");
        final Process browser = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            final URI endpoint = URI.create(devToolsEndpoint(browser).get(60, TimeUnit.SECONDS));
            try (DevToolsSession devTools = DevToolsSession.connect(endpoint)) {
                final String target = devTools.send("Target.createTarget",
                        DevToolsSession.params().put("url", "about:blank"), null).get("targetId").asText();
                final String session = devTools.send("Target.attachToTarget",
                        DevToolsSession.params().put("targetId", target).put("flatten", true), null)
                        .get("sessionId").asText();
                for (final String domain : List.of("Page", "Network", "Runtime", "Log")) {
                    devTools.send(domain + ".enable", null, session);
                }
                devTools.send("Page.navigate", DevToolsSession.params().put("url", reportUrl), session);
                Eventually.waitUntil(Duration.ofSeconds(30), "the report to load", () -> devTools.events().stream()
                        .anyMatch(event -> "Page.loadEventFired".equals(event.path("method").asText())));
                final JsonNode page = new ObjectMapper().readTree(devTools.send("Runtime.evaluate",
                        DevToolsSession.params().put("expression", INSPECT).put("returnByValue", true), session)
                        .path("result").path("value").asText());

                assertThat(texts(page.get("headings"))).containsExactly(
                        "H1 Strategic Assessment 2020/21Cambridgeshire and Peterborough Community Safety Partnership",
                        "H2 Contents", "H2 Anti-social behaviour",
                        "H3 Figure 1. Police-recorded ASB incidents by month, Cambridge, 2019/20 and 2020/21",
                        "H2 Wards: anti-social behaviour and assault-related ambulance callouts",
                        "H3 Figure 2. Police-recorded ASB incidents by ward, Cambridge, 2020/21",
                        "H3 Figure 3. Assault-related ambulance callouts by ward, Cambridge, 2020/21",
                        "H2 Domestic abuse: IDVA referrals", "H2 Fires",
                        "H3 Figure 4. Fires by cause, Cambridgeshire and Peterborough, 2019/20 and 2020/21");
                assertThat(page.get("figures")).hasSize(4);
                for (final JsonNode figure : page.get("figures")) {
                    assertThat(figure.get("shapes").asInt()).as(figure.get("id").asText()).isGreaterThan(20);
                    assertThat(figure.get("width").asInt()).as(figure.get("id").asText()).isPositive();
                    assertThat(figure.get("label").asText()).as(figure.get("id").asText()).isNotBlank();
                }
                assertThat(texts(page.get("idvaTotal")))
                        .containsExactly("Total", "235\n+5%", "245\n+5%", "255\n+5%", "265\n+5%", "1,000", "60.0%",
                                "15.0%");

                final List<JsonNode> events = devTools.events();
                assertThat(events.stream().filter(event -> "Network.requestWillBeSent".equals(event.path("method")
                        .asText())).map(event -> event.path("params").path("request").path("url").asText()))
                        .containsExactly(reportUrl);
                assertThat(events.stream().filter(ReportInChromiumIT::isError).map(JsonNode::toString)).isEmpty();
            }
        } finally {
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        }
    }

    private static boolean isError(final JsonNode event) {
        final String method = event.path("method").asText();
        final JsonNode params = event.path("params");
        return "Runtime.exceptionThrown".equals(method)
                || "Runtime.consoleAPICalled".equals(method) && List.of("error", "warning", "assert")
                        .contains(params.path("type").asText())
                || "Log.entryAdded".equals(method) && List.of("error", "warning")
                        .contains(params.path("entry").path("level").asText());
    }

    private static List<String> texts(final JsonNode array) {
        final List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
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
            } catch (java.io.IOException e) {
                endpoint.completeExceptionally(e);
            }
        });
        return endpoint;
    }

    private static Optional<Path> chromium() {
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
}
