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
 * The one HTTP server of a hub process: {@code /health} (the process is alive), {@code /ready} (every
 * readiness check passes: 200, else 503 with what is not ready), {@code /metrics} (Prometheus text),
 * and whatever routes the process's stages add (intake, queries, the report).
 */
public final class HubHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubHttpServer.class);

    private final Javalin app;
    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();

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
        app.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
        app.get("/ready", ctx -> {
            final Map<String, Object> results = new LinkedHashMap<>();
            boolean ready = true;
            for (final ReadinessCheck check : server.checks) {
                final ReadinessCheck.Result result = check.check();
                ready &= result.ready();
                results.put(check.name(), Map.of("ready", result.ready(), "detail", result.detail()));
            }
            ctx.status(ready ? 200 : 503).json(Map.of("ready", ready, "checks", results));
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.forEach(route -> route.accept(app));
        app.start(host, port);
        LOG.info("HTTP server listening on http://{}:{}", host, app.port());
        return server;
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
