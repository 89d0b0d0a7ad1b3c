package org.csphub.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStackExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo end to end, over one financial year so that it fits the test budget: exports generated,
 * published through the adapters with their bad rows refused, the topologies and the sinks run, and
 * the report, the query API and the health endpoints served. The 2019/20 IDVA table the generator is
 * calibrated to must come out of the whole pipeline unchanged (no corrections in this run).
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class DemoIT {

    private static final List<Long> IDVA_2019_20_QUARTERS = List.of(546L, 518L, 437L, 478L);

    private static Demo demo;
    private static Demo.Result result;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void runTheDemo() throws Exception {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.DATA_DIR, EmbeddedStackExtension.freshDataDir().toString(),
                HubConfig.KAFKA_PORT, "0",
                HubConfig.REGISTRY_PORT, "0",
                HubConfig.HTTP_PORT, "0",
                HubConfig.POSTGRES_SCHEMA, "demo_it_" + Long.toHexString(System.nanoTime())));
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
    void shouldServeTheReportWithTheIdvaTableOfTheSyntheticYear() throws Exception {
        final HttpResponse<String> report = get("/report");

        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).isEqualTo(Files.readString(result.report(), StandardCharsets.UTF_8));
        assertThat(report.body()).contains("<svg").doesNotContain("src=\"http").doesNotContain("href=\"http");
        assertThat(idvaTotalRow(report.body())).startsWith(
                IDVA_2019_20_QUARTERS.stream().map(String::valueOf).toList().toArray(String[]::new));
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

        assertThat(manifest.path("files")).hasSize(16);
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
