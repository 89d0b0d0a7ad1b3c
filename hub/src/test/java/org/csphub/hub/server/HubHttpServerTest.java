package org.csphub.hub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubHttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private HubHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ReadinessCheck check(final String name, final AtomicReference<ReadinessCheck.Result> result) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Result check() {
                return result.get();
            }
        };
    }

    @Test
    void shouldBeHealthyWithoutChecksAndUntilALivenessCheckFailsThenSayWhy() throws Exception {
        final AtomicReference<ReadinessCheck.Result> topologies = new AtomicReference<>(
                ReadinessCheck.Result.ready("RUNNING"));
        server = HubHttpServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of());
        assertThat(get("/health").statusCode()).isEqualTo(200);
        server.withLiveness(check("topologies", topologies)).withReadiness(check("topologies", topologies));

        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/health").body()).contains("\"status\":\"UP\"");

        topologies.set(ReadinessCheck.Result.notReady("ERROR: the metric topologies stopped after 4 failures"));

        final HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"")
                .contains("ERROR: the metric topologies stopped after 4 failures");
        assertThat(get("/ready").statusCode()).isEqualTo(503);
    }
}
