package org.csphub.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
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
        try (HeadlessChromium browser = HeadlessChromium.startOrSkip()) {
            final HeadlessChromium.Page report = browser.open(reportUrl, Duration.ofSeconds(30));
            final JsonNode page = report.evaluateJson(INSPECT);

            assertThat(HeadlessChromium.texts(page.get("headings"))).containsExactly(
                    "H1 Strategic Assessment 2020/21Cambridgeshire and Peterborough Community Safety Partnership",
                    "H2 Contents", "H2 Anti-social behaviour",
                    "H3 Figure 1. Police-recorded ASB incidents by month, Cambridge, 2019/20 and 2020/21",
                    "H2 Wards: anti-social behaviour and assault-related ambulance callouts",
                    "H3 Figure 2. Police-recorded ASB incidents by ward, Cambridge, 2020/21",
                    "H3 Figure 3. Assault-related ambulance callouts by ward, Cambridge, 2020/21",
                    "H2 Domestic abuse: IDVA referrals", "H2 Fires",
                    "H3 Figure 4. Fires by cause, Cambridgeshire and Peterborough, 2019/20 and 2020/21",
                    "H2 Crime", "H3 Figure 5. Police-recorded crime by month, Cambridge, 2019/20 and 2020/21",
                    "H2 Discarded needles", "H3 Figure 6. Needle finds by month, Cambridge, 2019/20 and 2020/21",
                    "H2 Assault-related emergency department attendances",
                    "H3 Figure 7. Assault-related ED attendances by month, Cambridge, 2019/20 and 2020/21",
                    "H3 Figure 8. Assault-related ED attendances by ward, Cambridge, 2020/21");
            assertThat(page.get("figures")).hasSize(8);
            for (final JsonNode figure : page.get("figures")) {
                assertThat(figure.get("shapes").asInt()).as(figure.get("id").asText()).isGreaterThan(20);
                assertThat(figure.get("width").asInt()).as(figure.get("id").asText()).isPositive();
                assertThat(figure.get("label").asText()).as(figure.get("id").asText()).isNotBlank();
            }
            assertThat(HeadlessChromium.texts(page.get("idvaTotal")))
                    .containsExactly("Total", "235\n+5%", "245\n+5%", "255\n+5%", "265\n+5%", "1,000", "60.0%",
                            "15.0%");

            assertThat(report.requestedUrls()).containsExactly(reportUrl);
            assertThat(report.problems().stream().map(JsonNode::toString)).isEmpty();
        }
    }

}
