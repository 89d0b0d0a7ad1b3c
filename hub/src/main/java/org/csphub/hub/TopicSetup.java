package org.csphub.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.acl.AclOperation;
import org.csphub.config.HubConfig;
import org.csphub.contracts.CompatibilityRule;
import org.csphub.contracts.Contract;
import org.csphub.contracts.SchemaHistoryCheck;
import org.csphub.serde.SchemaRegistryClient;
import org.csphub.serde.SerdeConfig;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.MissingTopicsException;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;

/**
 * Makes sure the topics a command needs exist before it uses them (the broker does not create topics
 * itself), and refuses a feed whose contract's schema cannot read the records already on its raw topic.
 * A command asks for the topics of its own role only; it creates those that are missing where its
 * credentials may (the embedded default, without ACLs), and where they may not it names the topics and
 * who creates them: on a cluster that authorizes by ACLs, the administrator creates the hub's topics.
 */
final class TopicSetup {

    /** What a command says when a topic it needs is missing and not its to create. */
    static final String REMEDY = "the administrator creates the hub's topics (`hub topics create`, or `hub stack` "
            + "does it)";

    private TopicSetup() {
    }

    /** Every topic of the configured catalog's feeds ({@code feeds.dir}). */
    static void ensure(final HubConfig config) throws Exception {
        ensure(config, FeedCatalog.of(config));
    }

    /** Every topic of {@code catalog}: for a process that runs every stage (the administrator's). */
    static void ensure(final HubConfig config, final FeedCatalog catalog) throws Exception {
        ensure(config, catalog, TopicProvisioner.allTopics(catalog), catalog.feeds());
    }

    /**
     * The raw and dead-letter topics of {@code feed} alone, and its contract alone: what publishing one
     * feed's exports writes to, and nothing an agency has no need of.
     */
    static void ensureIntake(final HubConfig config, final FeedCatalog catalog, final Feed feed) throws Exception {
        ensureIntake(config, catalog, List.of(feed));
    }

    static void ensureIntake(final HubConfig config, final FeedCatalog catalog, final List<Feed> feeds)
            throws Exception {
        final List<String> topics = new ArrayList<>();
        feeds.forEach(feed -> topics.addAll(List.of(feed.rawTopic(), feed.deadLetterTopic())));
        ensure(config, catalog, topics, feeds);
    }

    /**
     * What the topologies read and write: the raw topics, the metric and published topics and the
     * topologies' dead-letter topic; never the feeds' dead-letter topics, which only the agencies write.
     */
    static void ensureTopologies(final HubConfig config, final FeedCatalog catalog) throws Exception {
        final List<String> topics = new ArrayList<>(catalog.rawTopics());
        topics.add(Topics.DLQ_STREAMS);
        topics.addAll(catalog.metricAndPublishedTopics());
        ensure(config, catalog, topics, catalog.feeds());
    }

    /**
     * The feeds a drop folder publishes: every feed of {@code catalog} where the caller may create the
     * missing topics or sees them all; else those whose raw topic the caller may write (an agency's own,
     * on a cluster with ACLs). None of them is an error naming the missing topics and who creates them.
     */
    static List<Feed> ensureWatched(final HubConfig config, final FeedCatalog catalog) throws Exception {
        try {
            ensureIntake(config, catalog, catalog.feeds());
            return catalog.feeds();
        } catch (MissingTopicsException e) {
            final List<Feed> writable = writableFeeds(config, catalog);
            if (writable.isEmpty()) {
                throw e;
            }
            ensureIntake(config, catalog, writable);
            return writable;
        }
    }

    /** The feeds whose raw topic the configured credentials may write, as the broker says. */
    private static List<Feed> writableFeeds(final HubConfig config, final FeedCatalog catalog) throws Exception {
        try (Admin admin = Admin.create(adminProperties(config))) {
            final Set<String> visible = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<String> raw = catalog.rawTopics().stream().filter(visible::contains).toList();
            if (raw.isEmpty()) {
                return List.of();
            }
            final var descriptions = admin.describeTopics(raw, new DescribeTopicsOptions()
                    .includeAuthorizedOperations(true)).allTopicNames().get(30, TimeUnit.SECONDS);
            return catalog.feeds().stream().filter(feed -> {
                final var description = descriptions.get(feed.rawTopic());
                final Set<AclOperation> operations = description == null ? null : description.authorizedOperations();
                return operations != null && (operations.contains(AclOperation.WRITE)
                        || operations.contains(AclOperation.ALL));
            }).toList();
        }
    }

    /** The partitions and replication factor the configuration gives the hub's topics. */
    static TopicProvisioner.Layout layout(final HubConfig config) {
        return TopicProvisioner.Layout.of(config.getInt(HubConfig.TOPIC_PARTITIONS),
                (short) config.getInt(HubConfig.TOPIC_REPLICATION));
    }

    /** An admin client's settings: the configured cluster and credentials. */
    static Map<String, Object> adminProperties(final HubConfig config) {
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return properties;
    }

    private static void ensure(final HubConfig config, final FeedCatalog catalog, final List<String> topics,
            final List<Feed> feeds) throws Exception {
        // the registry is asked while the broker is: each is mostly waiting, on a command's first requests
        final CompletableFuture<Void> contracts = CompletableFuture.runAsync(
                () -> refuseIncompatibleContracts(config, catalog, feeds));
        try (Admin admin = Admin.create(adminProperties(config))) {
            new TopicProvisioner(admin, layout(config), catalog).ensure(topics);
        } catch (MissingTopicsException e) {
            throw new MissingTopicsException(e.topics(), e.getMessage() + "; " + REMEDY, e);
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
