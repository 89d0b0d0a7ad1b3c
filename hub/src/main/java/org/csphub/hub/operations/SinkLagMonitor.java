package org.csphub.hub.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.csphub.config.HubConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink's lag as meters: per partition ({@link MeterNames#SINK_LAG}) and over all its partitions
 * ({@link MeterNames#SINK_LAG_TOTAL}), from the positions the sink has stored with its rows and the
 * read_committed end offsets of the topics it reads (see {@link SinkLag}). The sink's process
 * refreshes it with its other monitors ({@link OperationsMonitors#watch(SinkLagMonitor)}).
 */
public final class SinkLagMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkLagMonitor.class);

    /** Where the sink's stored positions come from; empty while they are not known (the sink is starting). */
    @FunctionalInterface
    public interface Positions {
        Optional<Map<TopicPartition, Long>> read() throws Exception;
    }

    private final Admin admin;
    private final TopicOffsets offsets;
    private final String sink;
    private final List<String> topics;
    private final Positions positions;
    private volatile SinkLag lag;
    private MultiGauge lagGauge;
    private Counter failures;

    SinkLagMonitor(final Admin admin, final String sink, final List<String> topics, final Positions positions) {
        this.admin = admin;
        this.offsets = new TopicOffsets(admin);
        this.sink = sink;
        this.topics = List.copyOf(topics);
        this.positions = positions;
    }

    /**
     * A monitor of the configured cluster, e.g.
     * {@code SinkLagMonitor.connect(config, "postgres", catalog.metricTopics(), sink::positions)}.
     */
    public static SinkLagMonitor connect(final HubConfig config, final String sink, final List<String> topics,
            final Positions positions) {
        return new SinkLagMonitor(KafkaClients.admin(config, "csp-hub-sink-lag-monitor-" + sink), sink, topics,
                positions);
    }

    public SinkLagMonitor bindTo(final MeterRegistry registry) {
        lagGauge = MultiGauge.builder(MeterNames.SINK_LAG).tag("sink", sink)
                .description("The topic's read_committed end offset minus the sink's stored position")
                .register(registry);
        Gauge.builder(MeterNames.SINK_LAG_TOTAL, this, SinkLagMonitor::totalOrNaN).tag("sink", sink)
                .description("Records the sink has yet to write, over all its partitions").register(registry);
        failures = Counter.builder(MeterNames.MONITOR_FAILURES).tag("monitor", "sink-lag").register(registry);
        return this;
    }

    /** Measures the lag now; logs and counts a failure instead of throwing (the last lag stays). */
    public synchronized boolean refresh() {
        try {
            final Optional<Map<TopicPartition, Long>> stored = positions.read();
            if (stored.isEmpty()) {
                lag = null;
                publish();
                return true;
            }
            accept(SinkLag.measure(offsets, sink, topics, stored.get()));
            LOG.debug("Sink {} is {} record(s) behind", sink, lag.total());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("Could not measure the lag of the {} sink: {}", sink, e.toString());
            if (failures != null) {
                failures.increment();
            }
            return false;
        }
    }

    /** Takes a measurement made elsewhere, as a refresh would. */
    void accept(final SinkLag measured) {
        lag = measured;
        publish();
    }

    /** The lag as last measured; empty before the first measurement and while the sink's positions are not known. */
    public Optional<SinkLag> lag() {
        return Optional.ofNullable(lag);
    }

    /** Replaces the gauge's rows with the partitions last measured (none while the lag is not known). */
    private void publish() {
        if (lagGauge == null) {
            return;
        }
        final SinkLag current = lag;
        final List<MultiGauge.Row<?>> rows = new ArrayList<>();
        if (current != null) {
            current.partitions().forEach(partition -> rows.add(MultiGauge.Row.of(Tags.of("topic", partition.topic(),
                    "partition", Integer.toString(partition.partition())), partition.lag())));
        }
        lagGauge.register(rows, true);
    }

    private double totalOrNaN() {
        final SinkLag current = lag;
        return current == null ? Double.NaN : current.total();
    }

    @Override
    public void close() {
        admin.close();
    }
}
