package org.csphub.hub.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.csphub.config.HubConfig;
import org.csphub.topics.FeedCatalog;

/**
 * Everything a long-running process needs for {@code /metrics} beyond its own stage: JVM meters, feed
 * freshness, consumer lag and dead letters (refreshed every {@code operations.monitor.interval}), and
 * end-to-end latency; a sink's process adds its sink's lag ({@link #watch(SinkLagMonitor)}). One per
 * process; close it before the registry.
 */
public final class OperationsMonitors implements AutoCloseable {

    private final FeedFreshnessMonitor freshness;
    private final BacklogMonitor backlog;
    private final EndToEndLatencyMonitor latency;
    private final ScheduledExecutorService scheduler;
    private final Thread latencyThread;
    private final JvmGcMetrics gc;
    private final List<SinkLagMonitor> sinks = new CopyOnWriteArrayList<>();

    private OperationsMonitors(final FeedFreshnessMonitor freshness, final BacklogMonitor backlog,
            final EndToEndLatencyMonitor latency, final Duration interval, final JvmGcMetrics gc) {
        this.freshness = freshness;
        this.backlog = backlog;
        this.latency = latency;
        this.gc = gc;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "csp-hub-operations-monitor");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        this.latencyThread = new Thread(latency, "csp-hub-latency-monitor");
        latencyThread.setDaemon(true);
        latencyThread.start();
    }

    /** Starts the monitors of the configured cluster, watching the metrics topologies' consumer group. */
    public static OperationsMonitors start(final HubConfig config, final MeterRegistry registry, final Clock clock) {
        final FeedCatalog catalog = FeedCatalog.of(config);
        return start(config, catalog, registry, clock, List.of(BacklogMonitor.Watched.topologies(catalog)));
    }

    /** Starts the monitors of {@code catalog}'s feeds on the configured cluster, watching {@code groups}. */
    public static OperationsMonitors start(final HubConfig config, final FeedCatalog catalog,
            final MeterRegistry registry, final Clock clock, final List<BacklogMonitor.Watched> groups) {
        final Duration interval = Duration.parse(config.get(HubConfig.OPERATIONS_MONITOR_INTERVAL));
        final JvmGcMetrics gc = ProcessMetrics.bindJvm(registry);
        return new OperationsMonitors(FeedFreshnessMonitor.connect(config, catalog, clock).bindTo(registry),
                BacklogMonitor.connect(config, groups, catalog).bindTo(registry),
                EndToEndLatencyMonitor.connect(config, catalog, clock).bindTo(registry), interval, gc);
    }

    /** Refreshes freshness, lag, dead letters and the watched sinks' lag now (the schedule does it every interval). */
    public void refresh() {
        freshness.refresh();
        backlog.refresh();
        sinks.forEach(SinkLagMonitor::refresh);
    }

    /** Refreshes a sink's lag with the other monitors from now on, and closes it with them. */
    public OperationsMonitors watch(final SinkLagMonitor sink) {
        sinks.add(sink);
        return this;
    }

    public FeedFreshnessMonitor freshness() {
        return freshness;
    }

    public BacklogMonitor backlog() {
        return backlog;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        latency.close();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            latencyThread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        freshness.close();
        backlog.close();
        sinks.forEach(SinkLagMonitor::close);
        gc.close();
    }
}
