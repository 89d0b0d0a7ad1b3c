package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.csphub.hub.HubCommand;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    @Test
    void shouldExitTwoAndSayWhyWhenNothingAnswers() throws Exception {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        final StringWriter out = new StringWriter();

        final int code = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter())).execute(
                "status", "--json", "--bootstrap-servers", "127.0.0.1:" + closedPort,
                "--schema-registry", "http://127.0.0.1:" + closedPort + "/apis/ccompat/v7");

        assertThat(code).isEqualTo(2);
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("status").asText()).isEqualTo("DOWN");
        assertThat(json.path("health").path("kafka").path("up").asBoolean()).isFalse();
        assertThat(json.path("health").path("schemaRegistry").path("up").asBoolean()).isFalse();
        assertThat(json.path("reasons")).hasSize(2);
    }
}
