package org.csphub.hub;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.csphub.config.HubConfig;
import org.csphub.hub.operations.IntakeMetrics;
import org.csphub.hub.server.ProcessEndpoints;
import org.csphub.producers.http.IntakeRoutes;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.IntakeService;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub serve}: the HTTP intake, with health and metrics, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves the HTTP intake (POST /api/v1/feeds/{feed}, each agency with its own bearer token from "
                + "the access file) with /health, /ready and /metrics, until Ctrl-C.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--port", paramLabel = "PORT", description = "The HTTP port (default: http.port, 8080).")
    Integer port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final FeedCatalog catalog = FeedCatalog.of(config);
        TopicSetup.ensure(config, catalog);
        final CountDownLatch stopped = new CountDownLatch(1);
        try (FeedPublisher publisher = FeedPublisher.connect(config, "hub-serve")) {
            final IntakeService intake = IntakeService.of(config, catalog, publisher);
            final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            final IntakeMetrics metrics = new IntakeMetrics(registry, catalog);
            final IntakeRoutes routes = IntakeRoutes.fromConfig(config, intake).withListener(metrics::record);
            try (ProcessEndpoints endpoints = ProcessEndpoints.start(config,
                    port != null ? port : config.getInt(HubConfig.HTTP_PORT), registry, List.of(routes::addRoutes))) {
                Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "serve-shutdown"));
                spec.commandLine().getOut().printf("HTTP intake on http://%s:%d%s, access file %s. Press Ctrl-C to stop.%n",
                        config.get(HubConfig.HTTP_HOST), endpoints.port(), IntakeRoutes.PATH, config.accessFile());
                spec.commandLine().getOut().flush();
                stopped.await();
            }
        }
        return 0;
    }
}
