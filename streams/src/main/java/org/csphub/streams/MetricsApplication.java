package org.csphub.streams;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.csphub.config.HubConfig;
import org.csphub.contracts.FeedContract;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.geography.Geography;
import org.csphub.geography.Population;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.serde.AvroSerde;
import org.csphub.streams.series.FeedFamilyTopology;
import org.csphub.streams.series.HoldMetric;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Replication;
import org.csphub.topics.Topics;

/**
 * The metrics application: the metric family of every feed contract in one Kafka Streams application, run
 * exactly-once, with records it cannot read or process sent to {@link Topics#DLQ_STREAMS}.
 */
public final class MetricsApplication implements AutoCloseable {

    /** The application id (consumer group, transactional ids and internal topic prefix), unless configured. */
    public static final String APPLICATION_ID = "csp-hub-metrics";
    /**
     * How often the topologies commit, and so how often the record cache publishes a burst of changes:
     * Kafka Streams' exactly-once default. A stage's output reaches the next stage only when it
     * commits, and a record crosses two sub-topologies between its raw topic and its metric, so the
     * append-to-metric latency is about two commit intervals. 50 ms took a third off it, but during a
     * backlog of all four families the broker then fell behind on completing transactions (bursts of
     * CONCURRENT_TRANSACTIONS and OUT_OF_ORDER_SEQUENCE_NUMBER retries) and the rate from an empty
     * state fell by an eighth (BENCHMARKS.md).
     */
    public static final long COMMIT_INTERVAL_MS = 100;
    /**
     * Tasks process whatever they have buffered without waiting for their other input partitions: no
     * stage relies on the order of records across partitions (each series lives in one partition, and
     * the foreign-key joins resolve their own ordering), and the default wait's bookkeeping (which
     * formats a log message for every empty partition of a task, for every record) took a fifth of
     * the stream thread's time in a backlog.
     */
    public static final long MAX_TASK_IDLE_MS = StreamsConfig.MAX_TASK_IDLE_MS_DISABLED;
    /**
     * A stream thread per processor the JVM may use, where Kafka Streams has one: the families' tasks
     * are spread over them, so a machine's cores all work on a backlog. On two cores beside the broker,
     * two threads took the four-family bench's million records in 56.7 s against 61.1 s with one
     * (medians of three, a steady 69,127/s against 62,546/s), and the seven-feed demo caught up in
     * 208 s against 251 s (BENCHMARKS.md).
     */
    public static final int STREAM_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final String DROPPED_RECORDS = "dropped-records-total";

    private final KafkaStreams streams;
    private final ThreadFailures failures = new ThreadFailures(Clock.systemUTC());

    public MetricsApplication(final Topology topology, final Properties properties) {
        this.streams = new KafkaStreams(topology, withReplication(properties));
    }

    /**
     * The properties with the internal topics (changelogs, repartition topics) replicated as the hub's own
     * topics are ({@link Replication}): a {@code replication.factor} below 1 follows the cluster, whose
     * brokers are counted once here, where Kafka Streams would take the broker's default; and
     * {@code min.insync.replicas} goes with the factor unless {@code kafka.topic.min.insync.replicas} is set.
     */
    static Properties withReplication(final Properties properties) {
        final Object configured = properties.get(StreamsConfig.REPLICATION_FACTOR_CONFIG);
        final int factor = configured == null ? Replication.FOLLOW_CLUSTER : Integer.parseInt(configured.toString());
        final Replication replication;
        if (factor >= 1) {
            replication = Replication.of(factor);
        } else {
            try (Admin admin = Admin.create(new StreamsConfig(properties).getAdminConfigs("csp-hub-replication"))) {
                replication = Replication.resolve(factor, admin);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Cannot count the brokers of " + properties.get(
                        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) + " to replicate the internal topics (set "
                        + HubConfig.TOPIC_REPLICATION + " to skip this): " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while counting the cluster's brokers", e);
            }
        }
        final Properties resolved = new Properties();
        resolved.putAll(properties);
        resolved.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication.factor());
        resolved.putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(replication.minInSyncReplicas()));
        return resolved;
    }

    /**
     * Why the topologies are not running when they stopped by themselves ({@link ThreadFailures}), for
     * {@code /health} and {@code /ready}; empty while they run or were stopped on purpose.
     */
    public Optional<String> failure() {
        return failures.shutDownBecause();
    }

    /** The whole topology of the shipped feeds, for the given serde configuration (the registry) and partnership. */
    public static Topology topology(final Map<String, Object> serdeConfig, final String cspCode,
            final String cspName, final DisclosureControl disclosure, final Properties properties) {
        return topology(serdeConfig, cspCode, cspName, disclosure, properties, FeedCatalog.shipped());
    }

    /** The whole topology: a family topology per feed of {@code catalog}, over the default geography's residents. */
    public static Topology topology(final Map<String, Object> serdeConfig, final String cspCode,
            final String cspName, final DisclosureControl disclosure, final Properties properties,
            final FeedCatalog catalog) {
        return topology(serdeConfig, cspCode, cspName, disclosure, properties, catalog,
                Geography.defaults().population());
    }

    /** The whole topology: a family topology per feed of {@code catalog}, its rates per resident over {@code population}. */
    public static Topology topology(final Map<String, Object> serdeConfig, final String cspCode,
            final String cspName, final DisclosureControl disclosure, final Properties properties,
            final FeedCatalog catalog, final Population population) {
        final StreamsBuilder builder = new StreamsBuilder();
        final SeriesTopology series = new SeriesTopology(AvroSerde.of(AreaMetricKey.class, serdeConfig, true),
                AvroSerde.of(AreaMetric.class, serdeConfig, false), disclosure);
        for (final FeedContract contract : catalog.contracts()) {
            new FeedFamilyTopology(contract, AvroSerde.generic(contract.avroSchema(), serdeConfig, false), series,
                    cspCode, cspName, population).build(builder);
        }
        return builder.build(properties);
    }

    /** The whole topology for a hub configuration, with its catalog's feeds ({@code feeds.dir}). */
    public static Topology topology(final HubConfig config, final Properties properties) {
        return topology(config, FeedCatalog.of(config), properties);
    }

    /** The whole topology for a hub configuration and {@code catalog}'s feeds. */
    public static Topology topology(final HubConfig config, final FeedCatalog catalog, final Properties properties) {
        final Geography geography = Geography.defaults();
        return topology(config.serdeProperties(), config.get(HubConfig.CSP_CODE), config.get(HubConfig.CSP_NAME),
                DisclosureControl.of(config, geography), properties, catalog, geography.population());
    }

    /**
     * The Kafka Streams properties of a hub configuration: exactly-once, a stream thread per processor,
     * RocksDB state under the data folder, the dead-letter topic, and this instance's address for
     * queries ({@code host:port}).
     * Any {@code kafka.*} setting overrides these.
     */
    public static Properties properties(final HubConfig config, final String applicationServer) {
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, config.dataDir().resolve("streams").toString());
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        properties.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, MAX_TASK_IDLE_MS);
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, STREAM_THREADS);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.getInt(HubConfig.TOPIC_REPLICATION));
        properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        properties.putAll(deadLetterSettings());
        properties.putAll(config.serdeProperties());
        properties.putAll(config.kafkaClientProperties());
        return properties;
    }

    /**
     * The exception handlers that continue past a bad record after writing it to the dead-letter topic; a
     * record that cannot be read only because the registry is away stops the thread instead
     * ({@link RegistryOutageHandler}).
     */
    public static Map<String, Object> deadLetterSettings() {
        return Map.of(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RegistryOutageHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class,
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ_STREAMS);
    }

    public void start() {
        streams.setUncaughtExceptionHandler(failures);
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** How many records the handlers skipped (and sent to the dead-letter topic) since this instance started. */
    public long deadLetterCount() {
        double total = 0;
        for (final Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            if (DROPPED_RECORDS.equals(metric.getKey().name()) && metric.getValue().metricValue() instanceof Double d) {
                total += d;
            }
        }
        return (long) total;
    }

    /**
     * True when this instance is RUNNING and none of its stages holds changes back ({@link HoldMetric}):
     * once its group has also committed to the end of its input, it has nothing more to write.
     */
    public boolean settled() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        final Set<String> threads = streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadName)
                .collect(Collectors.toSet());
        return HoldMetric.stagesHolding(streams.metrics(), threads::contains) == 0;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
