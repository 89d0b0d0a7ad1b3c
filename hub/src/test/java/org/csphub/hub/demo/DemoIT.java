package org.csphub.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedPostgres;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.sinks.report.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo end to end, over one financial year so that it fits the test budget: exports generated,
 * published through the adapters with their bad rows refused, the topologies and the sinks run, and
 * the report, the query API and the health endpoints served. The 2019/20 IDVA table the generator is
 * calibrated to must come out of the whole pipeline unchanged (no corrections in this run), both in the
 * served HTML and in the page as headless Chromium lays it out.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class DemoIT {

    private static final List<Long> IDVA_2019_20_QUARTERS = List.of(546L, 518L, 437L, 478L);
    /** What the browser test reads from the laid-out page; {@code FY} is the report's year. */
    private static final String INSPECT = """
            (() => {
              const FY = '2019/20';
              const SERIES = ['rgb(29, 112, 184)', 'rgb(244, 119, 56)', 'rgb(80, 90, 95)'];
              const text = cell => cell.innerText.trim();
              return JSON.stringify({
                headings: [...document.querySelectorAll('h1, h2, h3')].map(h => h.tagName + ' ' + h.textContent),
                figures: [...document.querySelectorAll('figure')].map(f => {
                  const svg = f.querySelector('svg[role=img]');
                  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
                  // the data marks: shapes painted in a series colour (axes, grid lines and labels are grey or black)
                  const marks = {};
                  if (svg) {
                    svg.querySelectorAll('path, rect, line, polyline, polygon, circle, ellipse').forEach(shape => {
                      const style = getComputedStyle(shape);
                      SERIES.filter(colour => style.fill === colour || style.stroke === colour)
                          .forEach(colour => marks[colour] = (marks[colour] || 0) + 1);
                    });
                  }
                  // the chart's values of the report's year, from the table that follows it
                  const table = f.querySelector('table');
                  const headers = table ? [...table.querySelectorAll('thead th')].map(text) : [];
                  const column = headers.includes(FY) ? headers.indexOf(FY) : 1;
                  const values = table ? [...table.querySelectorAll('tbody tr')]
                      .map(row => row.children[column].textContent.trim())
                      .filter(value => /^[0-9][0-9,]*$/.test(value)).length : 0;
                  return {id: f.id, heading: f.querySelector('h3') ? f.querySelector('h3').textContent : null,
                          label: svg && svg.querySelector('title') ? svg.querySelector('title').textContent : null,
                          shapes: svg ? svg.querySelectorAll('path, rect, line, polyline, text').length : 0,
                          width: Math.round(box.width), height: Math.round(box.height),
                          mostMarks: Math.max(0, ...Object.values(marks)), values: values};
                }),
                idvaCaption: document.querySelector('#idva-table caption')
                    ? document.querySelector('#idva-table caption').textContent : null,
                idvaTotal: [...document.querySelectorAll('#idva-table tr.total > *')]
                    .map(cell => text(cell).split('\\n')[0])
              });
            })()""";

    private static Demo demo;
    private static Demo.Result result;
    private static Path dataDir;
    private static String schema;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void runTheDemo() throws Exception {
        dataDir = EmbeddedStackExtension.freshDataDir();
        schema = "demo_it_" + Long.toHexString(System.nanoTime());
        // no postgres.url, as on a laptop without a server: the demo starts its own in the data folder
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.DATA_DIR, dataDir.toString(),
                HubConfig.KAFKA_PORT, "0",
                HubConfig.REGISTRY_PORT, "0",
                HubConfig.HTTP_PORT, "0",
                HubConfig.POSTGRES_SCHEMA, schema));
        demo = new Demo(config, new Demo.Options(YearMonth.of(2019, 4), YearMonth.of(2020, 3), "2019/20", 11, 0.02,
                0.0, Duration.ofMinutes(6)), new PrintWriter(new StringWriter()));
        result = demo.run();
    }

    @AfterAll
    static void stopTheDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void shouldRefuseTheBadRowsAndKeepTheRest() {
        assertThat(result.rowsAccepted()).isPositive();
        assertThat(result.rowsRejected()).isPositive();
        assertThat(result.rowsRejected()).isLessThan(result.rowsAccepted() / 20);
    }

    @Test
    void shouldWriteBothTablesToThePostgresItStartedInItsDataFolder() {
        assertThat(result.postgres()).isTrue();
        assertThat(EmbeddedPostgres.runningUrl(dataDir)).as("the URL left for hub sink postgres and hub status")
                .contains(result.postgresUrl());
        assertThat(result.postgresUrl()).startsWith("jdbc:postgresql://127.0.0.1:").doesNotContain(":5432/");

        await("both tables in " + result.postgresUrl() + " to have rows")
                .atMost(Duration.ofMinutes(3)).pollInSameThread().until(
                () -> rows("area_metric") > 0 && rows("published_area_metric") > 0);
    }

    private static long rows(final String table) {
        try (Connection connection = DriverManager.getConnection(result.postgresUrl(), EmbeddedPostgres.USER, "");
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
            count.next();
            return count.getLong(1);
        } catch (SQLException e) {
            return 0; // not created yet
        }
    }

    @Test
    void shouldServeTheReportWithTheIdvaTableOfTheSyntheticYear() throws Exception {
        final HttpResponse<String> report = get("/report");

        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).isEqualTo(Files.readString(result.report(), StandardCharsets.UTF_8));
        assertThat(report.body()).contains("<svg").doesNotContain("src=\"http").doesNotContain("href=\"http");
        assertThat(idvaTotalRow(report.body())).startsWith(
                IDVA_2019_20_QUARTERS.stream().map(String::valueOf).toList().toArray(String[]::new));
    }

    @Test
    void shouldShowTheServedReportInChromiumWithEveryFigureAndTheIdvaTotals() throws Exception {
        final String url = "http://127.0.0.1:" + result.httpPort() + "/report";
        try (HeadlessChromium browser = HeadlessChromium.startOrSkip()) {
            final HeadlessChromium.Page report = browser.open(url, Duration.ofSeconds(60));
            final JsonNode page = report.evaluateJson(INSPECT);

            assertThat(HeadlessChromium.texts(page.get("headings"))).containsExactly(
                    "H1 Strategic Assessment 2019/20Cambridgeshire and Peterborough Community Safety Partnership",
                    "H2 Contents", "H2 Anti-social behaviour",
                    "H3 Figure 1. Police-recorded ASB incidents by month, Cambridge, 2018/19 and 2019/20",
                    "H2 Wards: anti-social behaviour and assault-related ambulance callouts",
                    "H3 Figure 2. Police-recorded ASB incidents by ward, Cambridge, 2019/20",
                    "H3 Figure 3. Assault-related ambulance callouts by ward, Cambridge, 2019/20",
                    "H2 Domestic abuse: IDVA referrals", "H2 Fires",
                    "H3 Figure 4. Fires by cause, Cambridgeshire and Peterborough, 2018/19 and 2019/20",
                    "H2 Crime", "H3 Figure 5. Police-recorded crime by month, Cambridge, 2018/19 and 2019/20",
                    "H2 Discarded needles", "H3 Figure 6. Needle finds by month, Cambridge, 2018/19 and 2019/20",
                    "H2 Assault-related emergency department attendances",
                    "H3 Figure 7. Assault-related ED attendances by month, Cambridge, 2018/19 and 2019/20",
                    "H3 Figure 8. Assault-related ED attendances by ward, Cambridge, 2019/20");
            final List<String> figureHeadings = new ArrayList<>();
            for (final JsonNode figure : page.get("figures")) {
                final String id = figure.get("id").asText();
                figureHeadings.add(figure.get("heading").asText());
                assertThat(figure.get("label").asText()).as(id + ": the chart's title").isNotBlank();
                assertThat(figure.get("width").asInt()).as(id + ": the chart's width").isPositive();
                assertThat(figure.get("height").asInt()).as(id + ": the chart's height").isPositive();
                assertThat(figure.get("shapes").asInt()).as(id + ": the chart's shapes").isGreaterThan(20);
                // every value of the report's year in the figure's table is drawn as at least one shape
                assertThat(figure.get("values").asInt()).as(id + ": values of 2019/20 in its table").isPositive();
                assertThat(figure.get("mostMarks").asInt()).as(id + ": shapes in one series' colour")
                        .isGreaterThanOrEqualTo(figure.get("values").asInt());
            }
            assertThat(figureHeadings).containsExactly(
                    "Figure 1. Police-recorded ASB incidents by month, Cambridge, 2018/19 and 2019/20",
                    "Figure 2. Police-recorded ASB incidents by ward, Cambridge, 2019/20",
                    "Figure 3. Assault-related ambulance callouts by ward, Cambridge, 2019/20",
                    "Figure 4. Fires by cause, Cambridgeshire and Peterborough, 2018/19 and 2019/20",
                    "Figure 5. Police-recorded crime by month, Cambridge, 2018/19 and 2019/20",
                    "Figure 6. Needle finds by month, Cambridge, 2018/19 and 2019/20",
                    "Figure 7. Assault-related ED attendances by month, Cambridge, 2018/19 and 2019/20",
                    "Figure 8. Assault-related ED attendances by ward, Cambridge, 2019/20");
            assertThat(page.get("idvaCaption").asText()).startsWith("Table 1. Referrals to the IDVA service by "
                    + "district and quarter, 2019/20");
            final List<String> quarters = IDVA_2019_20_QUARTERS.stream().map(String::valueOf).toList();
            final String year = String.format(Locale.UK, "%,d",
                    IDVA_2019_20_QUARTERS.stream().mapToLong(Long::longValue).sum());
            assertThat(HeadlessChromium.texts(page.get("idvaTotal"))).startsWith("Total", quarters.get(0),
                    quarters.get(1), quarters.get(2), quarters.get(3), year);

            assertThat(report.requestedUrls()).as("every request the page made").containsExactly(url);
            assertThat(report.problems().stream().map(JsonNode::toString)).as("console errors and warnings")
                    .isEmpty();
        }
    }

    @Test
    void shouldAnswerQueriesFromTheTopologiesStateStores() throws Exception {
        final HttpResponse<String> answer = get("/api/v1/metrics?metric=idva.referrals&area_type=CSP"
                + "&period_type=QUARTER&from=" + encode("2019/20 Q1") + "&to=" + encode("2019/20 Q4"));

        assertThat(answer.statusCode()).isEqualTo(200);
        final List<Long> totals = new ArrayList<>();
        for (final JsonNode row : rows(new ObjectMapper().readTree(answer.body()))) {
            if (row.path("dimension").isNull() || row.path("dimension").isMissingNode()) {
                totals.add(row.path("value").asLong());
            }
        }
        assertThat(totals).containsExactlyElementsOf(IDVA_2019_20_QUARTERS);
    }

    @Test
    void shouldWriteTheExtractsWithTheirManifest() throws Exception {
        final JsonNode manifest = new ObjectMapper().readTree(result.extracts().resolve("manifest.json").toFile());

        // a file per family (seven shipped) and period type (month, quarter, financial year, rolling year)
        assertThat(manifest.path("files")).hasSize(7 * 4);
        for (final JsonNode file : manifest.path("files")) {
            assertThat(result.extracts().resolve(file.path("parquet").asText())).isRegularFile();
            assertThat(result.extracts().resolve(file.path("csv").asText())).isRegularFile();
        }
    }

    @Test
    void shouldReportItselfHealthyAndReady() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        final HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(get("/metrics").body()).contains("csphub_feed_rows_accepted_total");
    }

    private static Iterable<JsonNode> rows(final JsonNode answer) {
        return answer.isArray() ? answer : answer.path("rows");
    }

    /** The cells of the IDVA table's total row, in order. */
    private static List<String> idvaTotalRow(final String html) {
        final Matcher table = Pattern.compile("id=\"idva-table\"(.*?)</table>", Pattern.DOTALL).matcher(html);
        assertThat(table.find()).as("the IDVA table").isTrue();
        final Matcher row = Pattern.compile("<tr class=\"total\">(.*?)</tr>", Pattern.DOTALL).matcher(table.group(1));
        assertThat(row.find()).as("the IDVA table's total row").isTrue();
        final List<String> cells = new ArrayList<>();
        final Matcher cell = Pattern.compile("<t[dh][^>]*>(.*?)</t[dh]>", Pattern.DOTALL).matcher(row.group(1));
        while (cell.find()) {
            final String text = cell.group(1).replaceAll("(?s)<span class=\"change\">.*?</span>", "")
                    .replaceAll("<[^>]+>", "").replace(",", "").trim();
            if (text.matches("\\d+")) {
                cells.add(text);
            }
        }
        return cells;
    }

    private static HttpResponse<String> get(final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + result.httpPort() + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
