package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.TopicConfig;
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

    @Test
    void shouldReplicateTheInternalTopicsAsTheHubsTopicsWhenTheFactorIsSet() {
        final Properties three = MetricsApplication.withReplication(properties(Map.of(
                "CSP_HUB_TOPICS_REPLICATION_FACTOR", "3")));
        final Properties one = MetricsApplication.withReplication(properties(Map.of(
                "CSP_HUB_TOPICS_REPLICATION_FACTOR", "1")));
        final String minInSync = StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);

        assertThat(three.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(three.get(minInSync)).isEqualTo("2");
        assertThat(one.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
        assertThat(one.get(minInSync)).isEqualTo("1");
        assertThat(MetricsApplication.withReplication(properties(Map.of("CSP_HUB_TOPICS_REPLICATION_FACTOR", "3",
                "CSP_HUB_KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "3"))).get(minInSync))
                .as("a kafka.* setting wins").isEqualTo("3");
    }
}
