package org.csphub.hub;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.csphub.config.HubConfig;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;

/** Creates the hub's missing topics before a command writes to them (the broker does not create topics itself). */
final class TopicSetup {

    private TopicSetup() {
    }

    /** Creates the missing topics of the configured catalog's feeds ({@code feeds.dir}). */
    static void ensure(final HubConfig config) throws Exception {
        ensure(config, FeedCatalog.of(config));
    }

    static void ensure(final HubConfig config, final FeedCatalog catalog) throws Exception {
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(config.getInt(HubConfig.TOPIC_PARTITIONS),
                    (short) config.getInt(HubConfig.TOPIC_REPLICATION)), catalog).ensureAll();
        }
    }
}
