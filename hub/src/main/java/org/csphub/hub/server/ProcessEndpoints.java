package org.csphub.hub.server;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import org.csphub.config.HubConfig;
import org.csphub.hub.operations.OperationsMonitors;

/**
 * What every long-running hub process serves: {@code /health}, {@code /ready} (Kafka and the registry
 * answer, plus the process's own checks), {@code /metrics} with the freshness, lag, latency and JVM
 * gauges of the operations monitors, and the process's own routes, all on one port.
 */
public final class ProcessEndpoints implements AutoCloseable {

    private final PrometheusMeterRegistry metrics;
    private final OperationsMonitors monitors;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HubHttpServer server;

    private ProcessEndpoints(final HubConfig config, final int port, final List<Consumer<Javalin>> routes,
            final PrometheusMeterRegistry metrics) {
        this.metrics = metrics;
        this.monitors = OperationsMonitors.start(config, metrics, Clock.systemUTC());
        resources.add(monitors);
        final KafkaReadiness kafka = new KafkaReadiness(new LinkedHashMap<>(config.kafkaClientProperties()));
        resources.add(kafka);
        this.server = HubHttpServer.start(config.get(HubConfig.HTTP_HOST), port, metrics, routes)
                .withReadiness(kafka)
                .withReadiness(new RegistryReadiness(config.schemaRegistryUrl()));
        resources.add(server);
    }

    /** Starts the monitors and the server on {@code port} (0 for a free one) with {@code routes}. */
    public static ProcessEndpoints start(final HubConfig config, final int port, final List<Consumer<Javalin>> routes) {
        return start(config, port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), routes);
    }

    /** The same, with meters the process registered before its routes existed. */
    public static ProcessEndpoints start(final HubConfig config, final int port, final PrometheusMeterRegistry metrics,
            final List<Consumer<Javalin>> routes) {
        return new ProcessEndpoints(config, port, routes, metrics);
    }

    /** The registry the process's own meters go to. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** The operations monitors behind {@code /metrics}, for a stage to add its own (a sink's lag). */
    public OperationsMonitors monitors() {
        return monitors;
    }

    public ProcessEndpoints withReadiness(final ReadinessCheck check) {
        server.withReadiness(check);
        return this;
    }

    /** Adds a check to {@code /health}: one that fails only when the process cannot recover by itself. */
    public ProcessEndpoints withLiveness(final ReadinessCheck check) {
        server.withLiveness(check);
        return this;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // closing on the way out: nothing more to do about it
            }
        }
    }
}
