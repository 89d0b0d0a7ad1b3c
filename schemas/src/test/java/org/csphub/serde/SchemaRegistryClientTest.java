package org.csphub.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's requests as a registry sees them: path, headers, and how often. */
class SchemaRegistryClientTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " type="
                    + exchange.getRequestHeaders().getFirst("Content-Type"));
            final byte[] body = "{\"id\":21}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldSendBasicAuthAndRegisterEachSchemaOnlyOnce() {
        final SchemaRegistryClient client = new SchemaRegistryClient(new SchemaRegistryClient.Settings(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/", Optional.of("agency:s3cret"),
                Duration.ofSeconds(5)));
        final Schema schema = Schema.create(Schema.Type.STRING);

        assertThat(client.register("csp.raw.fire-incidents-value", schema)).isEqualTo(21);
        assertThat(client.register("csp.raw.fire-incidents-value", schema)).isEqualTo(21);
        assertThat(client.schemaById(21)).isEqualTo(schema);

        assertThat(requests).containsExactly("POST /subjects/csp.raw.fire-incidents-value/versions"
                + " auth=Basic YWdlbmN5OnMzY3JldA== type=application/vnd.schemaregistry.v1+json");
    }
}
