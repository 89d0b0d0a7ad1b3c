package org.csphub.producers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.csphub.producers.agencies.Agency;
import org.csphub.producers.agencies.AgencyDirectory;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.topics.Feed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP intake against a running server. */
class IntakeRoutesTest {

    private static final String POLICE_TOKEN = "police-token-0123456789";
    private static final String CSV = "incident_id,reported_at,category,ward\nA,2020-01-01,NUISANCE,Market\n"
            + "B,2020-01-01,ROWDY,Market\n";

    private final IntakeHarness harness = new IntakeHarness();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Javalin server;

    @BeforeEach
    void start() {
        final AgencyDirectory agencies = new AgencyDirectory(List.of(
                new Agency("Constabulary", Set.of(Feed.POLICE_ASB), AgencyDirectory.hashOf(POLICE_TOKEN))));
        server = Javalin.create();
        new IntakeRoutes(harness.intake, agencies, 1024).addRoutes(server);
        server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> post(final String feed, final String token, final String contentType, final String body)
            throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
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
        assertThat(harness.raw(Feed.POLICE_ASB)).hasSize(1);
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
    void shouldRefuseAnotherContentType() throws Exception {
        assertThat(post("police-asb", POLICE_TOKEN, "application/json", "{}").statusCode()).isEqualTo(415);
    }

    @Test
    void shouldAnswer422ForAFileRefusedWhole() throws Exception {
        final HttpResponse<String> response = post("police-asb", POLICE_TOKEN, "text/csv", "incident_id,name\nA,B\n");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"refusal\":\"The header does not match");
    }
}
