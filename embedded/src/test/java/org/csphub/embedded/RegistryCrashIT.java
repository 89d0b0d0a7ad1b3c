package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A schema the registry has acknowledged survives the registry's crash: registered in a burst, the last
 * ones just before a SIGKILL, every one is there after the restart. (With H2's default write delay, 7 of
 * 40 were lost.)
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RegistryCrashIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldKeepEveryAcknowledgedSchemaAcrossASigkill() throws Exception {
        final Path dataDir = EmbeddedStackExtension.freshDataDir();
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(dataDir, 0, Duration.ofSeconds(120))) {
            final List<String> acknowledged = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                final String subject = "crash-" + i + "-value";
                final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create(registry.url() + "/subjects/" + subject + "/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"{\\\"type\\\":\\\"record\\\","
                                + "\\\"name\\\":\\\"Crash" + i + "\\\",\\\"fields\\\":[{\\\"name\\\":\\\"a\\\","
                                + "\\\"type\\\":\\\"string\\\"}]}\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                acknowledged.add(subject);
            }

            registry.kill();
            registry.restart(Duration.ofSeconds(120));

            final String subjects = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/subjects")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(acknowledged).as("acknowledged subjects, after the SIGKILL")
                    .allMatch(subject -> subjects.contains("\"" + subject + "\""));
        }
    }
}
