package org.csphub.hub.server;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Ready while the Kafka cluster answers a metadata request within two seconds. */
public final class KafkaReadiness implements ReadinessCheck, AutoCloseable {

    private final Admin admin;

    public KafkaReadiness(final Map<String, Object> clientProperties) {
        final Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        properties.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "csp-hub-readiness");
        this.admin = Admin.create(properties);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Result check() {
        try {
            final int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .get(3, TimeUnit.SECONDS).size();
            return Result.ready(brokers + " broker(s) answering");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Result.notReady("the cluster does not answer: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
