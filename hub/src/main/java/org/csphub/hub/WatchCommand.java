package org.csphub.hub;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.csphub.config.HubConfig;
import org.csphub.hub.operations.IntakeMetrics;
import org.csphub.hub.server.ProcessEndpoints;
import org.csphub.producers.intake.DropFolder;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.intake.SummaryText;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub watch DIR}: publishes every export dropped into {@code DIR/<feed>/}, until Ctrl-C. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Watches DIR/<feed>/ for partner exports; publishes each, moves it to processed/ (or failed/ "
                + "when refused whole) and writes <file>.rejects.csv beside it when rows were rejected.")
final class WatchCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "DIR", description = "The drop folder; a sub-folder per feed is created.")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT",
            description = "The port of /health, /ready and /metrics (default: http.port, 8080).")
    Integer port;

    @Spec
    CommandSpec spec;

    /** The size of the file a summary is about, wherever the drop folder moved it. */
    private long sizeOf(final IntakeSummary summary) {
        final Path feedDir = dir.resolve(summary.feed());
        for (final String where : List.of(DropFolder.PROCESSED, DropFolder.FAILED)) {
            final Path file = feedDir.resolve(where).resolve(summary.source());
            if (Files.isRegularFile(file)) {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final PrintWriter out = spec.commandLine().getOut();
        final long interval = config.getInt(HubConfig.INTAKE_WATCH_INTERVAL_MS);
        final FeedCatalog all = FeedCatalog.of(config);
        final List<Feed> served = TopicSetup.ensureWatched(config, all);
        final FeedCatalog catalog = served.size() == all.feeds().size() ? all
                : all.only(served.stream().map(Feed::slug).toList());
        try (FeedPublisher publisher = FeedPublisher.connect(config, "hub-watch");
                ProcessEndpoints endpoints = ProcessEndpoints.start(config,
                        port != null ? port : config.getInt(HubConfig.HTTP_PORT), List.of())) {
            final IntakeMetrics intakeMetrics = new IntakeMetrics(endpoints.metrics(), catalog);
            final DropFolder folder = new DropFolder(dir, IntakeService.of(config, catalog, publisher), true);
            folder.prepare();
            out.printf("Watching %s (one folder per feed%s); health and metrics on port %d. Press Ctrl-C to stop.%n",
                    dir.toAbsolutePath(), catalog == all ? "" : ": " + catalog.slugs() + ", the feeds these "
                    + "credentials may publish", endpoints.port());
            out.flush();
            while (!Thread.currentThread().isInterrupted()) {
                for (final IntakeSummary summary : folder.scan()) {
                    SummaryText.print(summary, out);
                    intakeMetrics.record(catalog.feed(summary.feed()), summary, sizeOf(summary));
                }
                Thread.sleep(interval);
            }
        }
        return 0;
    }
}
