package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.csphub.config.HubConfig;
import org.junit.jupiter.api.Test;

class MetricsApplicationPropertiesTest {

    private static Properties properties(final Map<String, String> environment) {
        return MetricsApplication.properties(HubConfig.load(Optional.empty(), environment, Map.of()), "localhost:8080");
    }

    @Test
    void shouldRunExactlyOnceAndProcessWithoutWaitingForOtherPartitions() {
        final Properties properties = properties(Map.of());

        assertThat(properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(properties.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100L);
        assertThat(properties.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(-1L);
        assertThat(properties.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG))
                .as("a stream thread per processor").isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void shouldLetAKafkaSettingOverrideTheDefaults() {
        final Properties properties = properties(Map.of("CSP_HUB_KAFKA_MAX_TASK_IDLE_MS", "0"));

        assertThat(properties.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo("0");
        assertThat(properties(Map.of("CSP_HUB_KAFKA_NUM_STREAM_THREADS", "1"))
                .get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo("1");
    }
}
