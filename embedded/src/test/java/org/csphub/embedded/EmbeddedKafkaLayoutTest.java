package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data folder keeps the number of brokers it was formatted with; another number is refused before anything starts. */
class EmbeddedKafkaLayoutTest {

    private static void formatted(final Path folder) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("meta.properties"), "cluster.id=5oK3bZxqQ4uK7xJ9lq2S1A\nnode.id=1\n");
    }

    @Test
    void shouldRefuseToStartThreeBrokersOnTheStorageOfOne(@TempDir final Path dataDir) throws Exception {
        formatted(dataDir.resolve("kafka").resolve("data"));

        assertThatThrownBy(() -> EmbeddedKafka.start(dataDir, 3, 0, Map.of(), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds a Kafka cluster of 1 broker, not 3")
                .hasMessageContaining("--brokers 1");
    }

    @Test
    void shouldRefuseToStartOneBrokerOnTheStorageOfThree(@TempDir final Path dataDir) throws Exception {
        for (int id = 1; id <= 3; id++) {
            formatted(dataDir.resolve("kafka").resolve("broker-" + id).resolve("data"));
        }

        assertThatThrownBy(() -> EmbeddedKafka.start(dataDir, 0, Map.of(), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds a Kafka cluster of 3 brokers, not 1")
                .hasMessageContaining("--brokers 3");
    }
}
