package org.csphub.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A lookup by id asks again while the registry is away or failing, and not when it says the schema is unknown. */
class SchemaLookupRetryTest {

    private static final String SCHEMA = "{\"schema\":\"\\\"string\\\"\"}";

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    /** A registry that answers {@code failures} requests with {@code status}, then with the schema. */
    private String registry(final int failures, final int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            final boolean fail = requests.incrementAndGet() <= failures;
            final byte[] body = (fail ? "{\"error_code\":" + (status == 404 ? 40403 : status) + ",\"message\":\"no\"}"
                    : SCHEMA).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? status : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static SchemaRegistryClient client(final String url, final Duration retry) {
        return new SchemaRegistryClient(new SchemaRegistryClient.Settings(url, Optional.empty(), Duration.ofSeconds(2),
                retry));
    }

    @Test
    void shouldAskAgainWhileTheRegistryAnswersWithAServerError() throws IOException {
        final SchemaRegistryClient client = client(registry(3, 503), Duration.ofSeconds(30));

        assertThat(client.schemaById(7)).isEqualTo(Schema.create(Schema.Type.STRING));
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void shouldNotAskAgainWhenTheSchemaIsUnknown() throws IOException {
        final SchemaRegistryClient client = client(registry(1, 404), Duration.ofSeconds(30));

        assertThatThrownBy(() -> client.schemaById(7)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("40403");
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void shouldGiveUpOnAnUnreachableRegistryAfterTheRetryWindowSayingSo() throws IOException {
        final int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        final SchemaRegistryClient client = client("http://127.0.0.1:" + closed, Duration.ofMillis(500));

        assertThatThrownBy(() -> client.schemaById(7)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isTransient()).isTrue());
    }

    @Test
    void shouldFailAtOnceWithoutARetryWindow() throws IOException {
        final SchemaRegistryClient client = client(registry(1, 503), Duration.ZERO);

        assertThatThrownBy(() -> client.schemaById(7)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 503");
        assertThat(requests.get()).isEqualTo(1);
    }
}
