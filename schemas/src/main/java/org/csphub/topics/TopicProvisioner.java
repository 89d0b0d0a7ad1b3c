package org.csphub.topics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the hub's topics where they are missing. Raw and metric topics are changelogs: compacted
 * (the latest version of each key is kept) and deleted after the retention the information sharing
 * agreement sets; dead-letter topics are plain logs with a retention of their own. An existing topic
 * is left as it is.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    /**
     * How the hub's topics are laid out; a replication factor below 1 ({@link Replication#FOLLOW_CLUSTER})
     * follows the cluster.
     */
    public record Layout(int partitions, short replicationFactor, long changelogRetentionMs, long deadLetterRetentionMs) {

        /** The partitions and replication as given, seven years of changelog and ninety days of dead letters. */
        public static Layout of(final int partitions, final short replicationFactor) {
            return new Layout(partitions, replicationFactor, TimeUnit.DAYS.toMillis(7 * 365),
                    TimeUnit.DAYS.toMillis(90));
        }
    }

    private final Admin admin;
    private final Layout layout;
    private final FeedCatalog catalog;

    /** A provisioner of the topics of the shipped feeds. */
    public TopicProvisioner(final Admin admin, final Layout layout) {
        this(admin, layout, FeedCatalog.shipped());
    }

    public TopicProvisioner(final Admin admin, final Layout layout, final FeedCatalog catalog) {
        this.admin = admin;
        this.layout = layout;
        this.catalog = catalog;
    }

    /** Every topic of the hub with the catalog's feeds: raw, dead-letter, metric and published. */
    public static List<String> allTopics(final FeedCatalog catalog) {
        final List<String> topics = new ArrayList<>();
        for (final Feed feed : catalog.feeds()) {
            topics.add(feed.rawTopic());
            topics.add(feed.deadLetterTopic());
        }
        topics.add(Topics.DLQ_STREAMS);
        topics.addAll(catalog.metricTopics());
        topics.addAll(catalog.publishedTopics());
        return topics;
    }

    /** Creates the missing topics among {@link #allTopics(FeedCatalog)}; returns the ones it created. */
    public List<String> ensureAll() throws InterruptedException, ExecutionException, TimeoutException {
        return ensure(allTopics(catalog));
    }

    /**
     * Creates the missing topics among {@code names}; returns the ones it created. A topic the caller
     * does not see (missing, or not described to it) and may not create ends in a
     * {@link MissingTopicsException} naming every such topic, after the others were created.
     */
    public List<String> ensure(final List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        // the broker lists only the topics the caller may describe
        final Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        if (names.stream().allMatch(existing::contains)) {
            return List.of();
        }
        final Replication replication = Replication.resolve(layout.replicationFactor(), admin);
        final List<NewTopic> missing = names.stream().filter(name -> !existing.contains(name))
                .map(name -> new NewTopic(name, layout.partitions(), replication.factor())
                        .configs(configOf(name, replication)))
                .toList();
        final List<String> created = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        final List<Throwable> refusals = new ArrayList<>(1);
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get(30, TimeUnit.SECONDS);
                created.add(name);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException
                        || e.getCause() instanceof ClusterAuthorizationException) {
                    refused.add(name);
                    refusals.add(e.getCause());
                } else if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic " + name, e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Topic " + name + " was not created within 30 s", e);
            }
        });
        if (!created.isEmpty()) {
            awaitLeaders(created);
            LOG.info("Created topics {}", created);
        }
        if (!refused.isEmpty()) {
            final List<String> inOrder = names.stream().filter(refused::contains).distinct().toList();
            final boolean one = inOrder.size() == 1;
            // the broker's own words ("Authorization failed.") stay in the cause: they name no topic
            throw new MissingTopicsException(inOrder, (one ? "topic " + inOrder.get(0) + " does" : "topics "
                    + String.join(", ", inOrder) + " do") + " not exist (or these credentials may not see "
                    + (one ? "it" : "them") + "), and these credentials may not create " + (one ? "it" : "them"),
                    refusals.get(0));
        }
        return created;
    }

    /**
     * Waits until every partition of the new topics has a leader that serves it: its leader answers for
     * the partition's offsets (the admin client asks again, with back-off, while a partition is unknown or
     * its leader has not opened it). A producer that writes to a partition before its leader has opened
     * it has its first request refused and retried while a later one is taken, after which an idempotent
     * producer keeps failing on the gap it left (KAFKA-15591); the hub's stages start writing at once.
     */
    private void awaitLeaders(final List<String> topics) {
        final Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
        topics.forEach(topic -> {
            for (int partition = 0; partition < layout.partitions(); partition++) {
                partitions.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        });
        // in a cluster, the broker asked may learn of a new topic after the others: ask again until it knows
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(30_000)).all()
                        .get(35, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("The new topics " + topics + " have no leader serving every "
                            + "partition after 30 s: " + e.getCause().getMessage(), e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("The new topics " + topics + " have no leader serving every "
                        + "partition after 30 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the leaders of " + topics, e);
            }
            try {
                Thread.sleep(100); // back-off before asking again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the leaders of " + topics, e);
            }
        }
    }

    /** The configuration a topic of the hub is created with, with {@code replication}'s copies. */
    public Map<String, String> configOf(final String name, final Replication replication) {
        final Map<String, String> config = new LinkedHashMap<>(replication.topicConfig());
        if (name.startsWith(Topics.DLQ_PREFIX)) {
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(layout.deadLetterRetentionMs()));
        } else {
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
            config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(layout.changelogRetentionMs()));
        }
        return config;
    }
}
