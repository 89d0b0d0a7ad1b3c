package org.csphub.hub.server;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.csphub.producers.http.IntakeRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP server of a hub process: {@code /health} (the process can still do its work: 200, else
 * 503 with what has stopped for good, so that a supervisor restarts it), {@code /ready} (every readiness
 * check passes: 200, else 503 with what is not ready), {@code /metrics} (Prometheus text), and whatever
 * routes the process's stages add (intake, queries, the report).
 */
public final class HubHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubHttpServer.class);

    private final Javalin app;
    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
    private final List<ReadinessCheck> liveness = new CopyOnWriteArrayList<>();

    private HubHttpServer(final Javalin app) {
        this.app = app;
    }

    /**
     * Starts the server on {@code host:port} (port 0 for a free one) with the given routes.
     *
     * @param routes each adds its stage's routes to the server
     */
    public static HubHttpServer start(final String host, final int port, final PrometheusMeterRegistry metrics,
            final List<Consumer<Javalin>> routes) {
        final Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = false;
            IntakeRoutes.configureServer(config);
        });
        final HubHttpServer server = new HubHttpServer(app);
        app.get("/health", ctx -> {
            final Map<String, Object> results = new LinkedHashMap<>();
            final boolean up = run(server.liveness, results);
            ctx.status(up ? 200 : 503).json(results.isEmpty() ? Map.of("status", "UP")
                    : Map.of("status", up ? "UP" : "DOWN", "checks", results));
        });
        app.get("/ready", ctx -> {
            final Map<String, Object> results = new LinkedHashMap<>();
            final boolean ready = run(server.checks, results);
            ctx.status(ready ? 200 : 503).json(Map.of("ready", ready, "checks", results));
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.forEach(route -> route.accept(app));
        app.start(host, port);
        LOG.info("HTTP server listening on http://{}:{}", host, app.port());
        return server;
    }

    /** Runs {@code checks} into {@code results}; true when every one passes. */
    private static boolean run(final List<ReadinessCheck> checks, final Map<String, Object> results) {
        boolean passed = true;
        for (final ReadinessCheck check : checks) {
            final ReadinessCheck.Result result = check.check();
            passed &= result.ready();
            results.put(check.name(), Map.of("ready", result.ready(), "detail", result.detail()));
        }
        return passed;
    }

    /** Adds a check to {@code /health}: one that fails only when the process cannot recover by itself. */
    public HubHttpServer withLiveness(final ReadinessCheck check) {
        liveness.add(check);
        return this;
    }

    /** Adds a check to {@code /ready}. */
    public HubHttpServer withReadiness(final ReadinessCheck check) {
        checks.add(check);
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
