package org.csphub.hub.operations;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.csphub.config.HubConfig;

/** The monitors' own Kafka clients: read-only, without a consumer group, with short timeouts. */
final class KafkaClients {

    private KafkaClients() {
    }

    static Admin admin(final HubConfig config, final String clientId) {
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        properties.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
        return Admin.create(properties);
    }

    /** A consumer that is assigned partitions by hand and never commits. */
    static KafkaConsumer<byte[], byte[]> reader(final HubConfig config, final String clientId) {
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        properties.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
