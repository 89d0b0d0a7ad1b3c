package org.csphub.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.csphub.config.HubConfig;
import org.csphub.contracts.CompatibilityRule;
import org.csphub.contracts.Contract;
import org.csphub.contracts.SchemaHistoryCheck;
import org.csphub.serde.SchemaRegistryClient;
import org.csphub.serde.SerdeConfig;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;

/**
 * Creates the hub's missing topics before a command writes to them (the broker does not create topics
 * itself), and refuses a feed whose contract's schema cannot read the records already on its raw topic.
 */
final class TopicSetup {

    private TopicSetup() {
    }

    /** Creates the missing topics of the configured catalog's feeds ({@code feeds.dir}). */
    static void ensure(final HubConfig config) throws Exception {
        ensure(config, FeedCatalog.of(config));
    }

    static void ensure(final HubConfig config, final FeedCatalog catalog) throws Exception {
        ensure(config, catalog, TopicProvisioner.allTopics(catalog), catalog.feeds());
    }

    /**
     * Creates the missing raw and dead-letter topics of {@code feed} alone and checks its contract alone:
     * what publishing one feed's exports writes to, and nothing an agency has no need of.
     */
    static void ensureIntake(final HubConfig config, final FeedCatalog catalog, final Feed feed) throws Exception {
        ensure(config, catalog, List.of(feed.rawTopic(), feed.deadLetterTopic()), List.of(feed));
    }

    private static void ensure(final HubConfig config, final FeedCatalog catalog, final List<String> topics,
            final List<Feed> feeds) throws Exception {
        // the registry is asked while the broker is: each is mostly waiting, on a command's first requests
        final CompletableFuture<Void> contracts = CompletableFuture.runAsync(
                () -> refuseIncompatibleContracts(config, catalog, feeds));
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(config.getInt(HubConfig.TOPIC_PARTITIONS),
                    (short) config.getInt(HubConfig.TOPIC_REPLICATION)), catalog).ensure(topics);
        }
        try {
            contracts.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Compares each feed's schema with the latest one registered for its raw topic: a contract changed so
     * that it cannot read the records written before (Avro's own check, the BACKWARD rule the build holds
     * the shipped contracts to) is refused, with every reason, before anything is published.
     */
    private static void refuseIncompatibleContracts(final HubConfig config, final FeedCatalog catalog,
            final List<Feed> feeds) {
        if (!(SerdeConfig.registry(config.serdeProperties()) instanceof SchemaRegistryClient registry)) {
            return;
        }
        final List<String> problems = new ArrayList<>();
        for (final Feed feed : feeds) {
            final String subject = Topics.valueSubject(feed.rawTopic());
            registry.latest(subject).ifPresent(latest -> SchemaHistoryCheck.check(new Contract(
                    feed.contract().record().name(), feed.schema(), CompatibilityRule.BACKWARD), "version "
                    + latest.version() + " of " + subject, latest.schema()).forEach(problem -> problems.add(
                            catalog.placeOf(feed) + ": " + problem)));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start: " + problems.size() + " contract change(s) the "
                    + "records already published could not follow; give a new column a default, or keep the old "
                    + "one:\n  " + String.join("\n  ", problems));
        }
    }
}
