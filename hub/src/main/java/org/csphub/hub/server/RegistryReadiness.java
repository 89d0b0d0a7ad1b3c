package org.csphub.hub.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Ready while the schema registry lists its subjects within two seconds. */
public final class RegistryReadiness implements ReadinessCheck {

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RegistryReadiness(final String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String name() {
        return "schema-registry";
    }

    @Override
    public Result check() {
        try {
            final HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? Result.ready(url)
                    : Result.notReady(url + " answered HTTP " + response.statusCode());
        } catch (IOException e) {
            return Result.notReady(url + " is unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.notReady("interrupted");
        }
    }
}
