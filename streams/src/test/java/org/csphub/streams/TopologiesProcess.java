package org.csphub.streams;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.csphub.config.HubConfig;
import org.csphub.topics.FeedCatalog;

/**
 * The metric topologies of some feeds in a process of their own, until the process ends: what
 * {@code hub streams --feeds} runs, for a test to kill outright. Arguments: the bootstrap servers, the
 * schema registry's URL, the data folder (its state under {@code <data dir>/streams}) and the feeds,
 * comma-separated.
 *
 * <p>Its consumers' session lasts 6 s (the broker's least), not 45 s, so that a process started after
 * one was killed is given the killed one's tasks once the broker has dropped it, within seconds.
 */
public final class TopologiesProcess {

    private TopologiesProcess() {
    }

    public static void main(final String[] args) throws Exception {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, args[0],
                HubConfig.SCHEMA_REGISTRY_URL, args[1],
                HubConfig.DATA_DIR, args[2],
                "kafka.session.timeout.ms", "6000"));
        final FeedCatalog catalog = FeedCatalog.of(config).only(List.of(args[3].split(",")));
        final Properties properties = MetricsApplication.properties(config, "127.0.0.1:1");
        final MetricsApplication application = new MetricsApplication(
                MetricsApplication.topology(config, catalog, properties), properties);
        application.start();
        System.out.println("topologies started");
        new CountDownLatch(1).await();
    }
}
