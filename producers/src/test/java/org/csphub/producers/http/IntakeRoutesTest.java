package org.csphub.producers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.csphub.access.Agency;
import org.csphub.access.InvalidAccessPolicyException;
import org.csphub.config.HubConfig;
import org.csphub.embedded.CapturedLog;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP intake against a running server. */
class IntakeRoutesTest {

    private static final String POLICE_TOKEN = "police-token-0123456789";
    private static final String FIRE_TOKEN = "fire-token-9876543210";
    private static final int PER_MINUTE = 3;
    private static final String CSV = "incident_id,reported_at,category,ward\nA,2020-01-01,NUISANCE,Market\n"
            + "B,2020-01-01,ROWDY,Market\n";

    private final IntakeHarness harness = new IntakeHarness();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** A clock that stands still: no request is ever refilled during a test. */
    private final AtomicLong nanoTime = new AtomicLong();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private Javalin server;

    @BeforeEach
    void start() {
        server = Javalin.create(IntakeRoutes::configureServer);
        new IntakeRoutes(harness.intake, TwoAgencies.policy(POLICE_TOKEN, FIRE_TOKEN), 1024, new AgencyRateLimiter(PER_MINUTE, nanoTime::get))
                .withListener((feed, summary, bytes) -> told.add(feed.slug() + " " + summary.accepted() + " " + bytes))
                .addRoutes(server);
        server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> post(final String feed, final String token, final String contentType, final String body)
            throws Exception {
        return post(server, feed, token, contentType, body);
    }

    private HttpResponse<String> post(final Javalin to, final String feed, final String token, final String contentType,
            final String body) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port()
                + "/api/v1/feeds/" + feed)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerTheSummaryAsJson() throws Exception {
        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, "text/csv; charset=utf-8", CSV);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"rowsRead\":2", "\"accepted\":1", "\"rejected\":1",
                "\"reasonCounts\":{\"NOT_IN_ENUM\":1}");
        assertThat(harness.raw(FeedCatalog.shipped().feed("police-asb"))).hasSize(1);
    }

    @Test
    void shouldAnswer503WithTheRowsNotStoredWhenKafkaTimesOut() throws Exception {
        harness.producer.sendException = new TimeoutException("Topic csp.raw.police-asb not present in metadata");

        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, "text/csv", CSV);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("30");
        final JsonNode answer = new ObjectMapper().readTree(response.body());
        assertThat(answer.get("stored").asLong()).isZero();
        assertThat(answer.get("notStored").asLong()).isEqualTo(1);
        assertThat(answer.get("notStoredRows").toString()).isEqualTo("[{\"lines\":\"2\",\"reason\":\"TimeoutException: "
                + "Topic csp.raw.police-asb not present in metadata\",\"retriable\":true},{\"lines\":\"3-\",\"reason\":"
                + "\"not sent, after TimeoutException: Topic csp.raw.police-asb not present in metadata\",\"retriable\":true}]");
        assertThat(answer.get("resend").asText()).startsWith("Sending the whole export again is safe");
        assertThat(told).isEmpty();
    }

    @Test
    void shouldAnswer500NotAskingForARetryWhenKafkaRefusesARecordForGood() throws Exception {
        harness.producer.sendException = new RecordTooLargeException("The message is 2097252 bytes");

        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, "text/csv", CSV);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(new ObjectMapper().readTree(response.body()).get("notStoredRows").get(0).get("retriable")
                .asBoolean()).isFalse();
    }

    @Test
    void shouldRefuseARequestWithoutAToken() throws Exception {
        final HttpResponse<String> response = post("police-asb", null, "text/csv", CSV);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(harness.producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAWrongToken() throws Exception {
        assertThat(post("police-asb", "not-the-token", "text/csv", CSV).statusCode()).isEqualTo(401);
        assertThat(harness.producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAnotherAgencysFeed() throws Exception {
        final HttpResponse<String> response = post("fire-incidents", POLICE_TOKEN, "text/csv", CSV);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"status\":403,\"error\":\"Constabulary may not publish the "
                + "fire-incidents feed\"}");
    }

    @Test
    void shouldRefuseABodyOverTheLimit() throws Exception {
        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, "text/csv",
                CSV + "C,2020-01-01,NUISANCE,Market\n".repeat(60));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(harness.producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAChunkedBodyOverTheLimit() throws Exception {
        final byte[] body = (CSV + "C,2020-01-01,NUISANCE,Market\n".repeat(60)).getBytes(StandardCharsets.UTF_8);
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/feeds/police-asb")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + POLICE_TOKEN)
                // a stream of unknown length goes out chunked, without a Content-Length to refuse it by
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

        final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(harness.producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseADeclaredLengthOverTheLimitAtOnceAndCloseTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            // a server that waited for the body would answer at its idle timeout (30 s) or never: this read fails first
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/feeds/police-asb HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + POLICE_TOKEN + "\r\nContent-Type: text/csv\r\n"
                    + "Content-Length: 20971520\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            // read until the server closes the connection
            final String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            final int bodyStart = response.indexOf("\r\n\r\n") + 4;
            assertThat(response).startsWith("HTTP/1.1 413 ");
            assertThat(response.substring(0, bodyStart).toLowerCase(Locale.ROOT))
                    .contains("\r\nconnection: close\r\n");
            assertThat(response.substring(bodyStart)).isEqualTo("{\"status\":413,\"error\":\"The body is larger than "
                    + "1024 bytes (intake.http.max.bytes); split the export\"}");
        }
        assertThat(harness.producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAnotherContentType() throws Exception {
        assertThat(post("police-asb", POLICE_TOKEN, "application/json", "{}").statusCode()).isEqualTo(415);
    }

    @Test
    void shouldAnswer422ForAFileRefusedWhole() throws Exception {
        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, "text/csv", "incident_id,name\nA,B\n");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"refusal\":\"The header does not match");
    }

    @Test
    void shouldAnswer429WithRetryAfterToABurstOverTheAgencysRate() throws Exception {
        for (int i = 0; i < PER_MINUTE; i++) {
            assertThat(post("police-asb", POLICE_TOKEN, "text/csv", CSV).statusCode()).isEqualTo(200);
        }
        final int published = harness.producer.history().size();

        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, "text/csv", CSV);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("20");
        assertThat(response.body()).isEqualTo("{\"status\":429,\"error\":\"Constabulary may send 3 requests a minute "
                + "(intake.http.rate.per.minute); retry after 20 s\"}");
        assertThat(harness.producer.history()).hasSize(published);
    }

    @Test
    void shouldAdmitARequestAgainOnceItsShareOfTheMinuteHasPassed() throws Exception {
        for (int i = 0; i < PER_MINUTE; i++) {
            post("police-asb", POLICE_TOKEN, "text/csv", CSV);
        }
        assertThat(post("police-asb", POLICE_TOKEN, "text/csv", CSV).statusCode()).isEqualTo(429);

        nanoTime.addAndGet(Duration.ofSeconds(20).toNanos());

        assertThat(post("police-asb", POLICE_TOKEN, "text/csv", CSV).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldCountEveryAuthenticatedRequestAgainstItsOwnAgencyOnly() throws Exception {
        for (int i = 0; i < PER_MINUTE; i++) {
            assertThat(post("fire-incidents", POLICE_TOKEN, "text/csv", CSV).statusCode()).isEqualTo(403);
        }

        assertThat(post("police-asb", POLICE_TOKEN, "text/csv", CSV).statusCode()).isEqualTo(429);
        assertThat(post("fire-incidents", FIRE_TOKEN, "application/json", "{}").statusCode()).isEqualTo(415);
    }

    @Test
    void shouldTellTheListenerOfEachAcceptedExportOnly() throws Exception {
        post("police-asb", POLICE_TOKEN, "text/csv", CSV);
        post("police-asb", POLICE_TOKEN, "text/csv", "incident_id,name\nA,B\n");
        post("police-asb", "not-the-token", "text/csv", CSV);

        assertThat(told).containsExactly("police-asb 1 " + CSV.length());
    }

    @Test
    void shouldLogEveryRefusalWithTheAgencyFeedAddressAndReasonButNeverTheToken() throws Exception {
        final List<String> lines;
        try (CapturedLog log = new CapturedLog(IntakeRoutes.class)) {
            post("police-asb", "not-the-token", "text/csv", CSV);
            post("fire-incidents", POLICE_TOKEN, "text/csv", CSV);
            post("police-asb", POLICE_TOKEN, "text/csv", CSV + "C,2020-01-01,NUISANCE,Market\n".repeat(60));
            post("police-asb", POLICE_TOKEN, "application/json", "{}");
            post("police-asb", POLICE_TOKEN, "text/csv", CSV);
            lines = log.lines();
        }

        assertThat(lines).containsExactly(
                "WARN HTTP intake refused 401: agency=-, feed=police-asb, remote=127.0.0.1, reason=The token is not known",
                "WARN HTTP intake refused 403: agency=Constabulary, feed=fire-incidents, remote=127.0.0.1, "
                        + "reason=Constabulary may not publish the fire-incidents feed",
                "WARN HTTP intake refused 413: agency=Constabulary, feed=police-asb, remote=127.0.0.1, "
                        + "reason=The body is larger than 1024 bytes (intake.http.max.bytes); split the export",
                "WARN HTTP intake refused 415: agency=Constabulary, feed=police-asb, remote=127.0.0.1, "
                        + "reason=Send the export as text/csv or " + ExportFormat.XLSX_CONTENT_TYPE + ", not application/json",
                "WARN HTTP intake refused 429: agency=Constabulary, feed=police-asb, remote=127.0.0.1, "
                        + "reason=Constabulary may send 3 requests a minute (intake.http.rate.per.minute); retry after 20 s");
        assertThat(String.join("\n", lines)).doesNotContain(POLICE_TOKEN, "not-the-token",
                Agency.tokenHash(POLICE_TOKEN), Agency.tokenHash("not-the-token"));
    }

    @Test
    void shouldTakeTheAgenciesFromTheAccessFileInTheDataFolderAndTheRateFromTheConfiguration(@TempDir final Path dir)
            throws Exception {
        Files.writeString(dir.resolve("access.yaml"), TwoAgencies.yaml(POLICE_TOKEN, FIRE_TOKEN));
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.DATA_DIR, dir.toString(),
                HubConfig.INTAKE_HTTP_RATE_PER_MINUTE, "1"));
        final Javalin configured = Javalin.create(IntakeRoutes::configureServer);
        IntakeRoutes.fromConfig(config, harness.intake).addRoutes(configured);
        configured.start("127.0.0.1", 0);
        try {
            assertThat(post(configured, "police-asb", POLICE_TOKEN, "text/csv", CSV).statusCode()).isEqualTo(200);
            assertThat(post(configured, "police-asb", FIRE_TOKEN, "text/csv", CSV).body())
                    .isEqualTo("{\"status\":403,\"error\":\"Fire Service may not publish the police-asb feed\"}");
            // a real clock: the seconds to wait depend on how long the requests before took
            assertThat(post(configured, "police-asb", POLICE_TOKEN, "text/csv", CSV).body())
                    .startsWith("{\"status\":429,\"error\":\"Constabulary may send 1 requests a minute "
                            + "(intake.http.rate.per.minute); retry after ");
        } finally {
            configured.stop();
        }
    }

    @Test
    void shouldRefuseToStartOnAnInconsistentAccessFileNamingItsLine(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("elsewhere.yaml");
        // the fire service claims the police feed, on line 8
        Files.writeString(file, TwoAgencies.yaml(POLICE_TOKEN, FIRE_TOKEN).replace("[fire-incidents]", "[police-asb]"));
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.DATA_DIR, dir.toString(),
                HubConfig.ACCESS_FILE, file.toString()));

        assertThatThrownBy(() -> IntakeRoutes.fromConfig(config, harness.intake))
                .isInstanceOf(InvalidAccessPolicyException.class)
                .hasMessageStartingWith(file + ", line 8, ")
                .hasMessageEndingWith("feed 'police-asb' is already published by agency 'Constabulary' (line 2); "
                        + "a feed has one publisher");
    }
}
