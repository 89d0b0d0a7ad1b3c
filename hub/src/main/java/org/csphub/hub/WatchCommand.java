package org.csphub.hub;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.csphub.config.HubConfig;
import org.csphub.producers.intake.DropFolder;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.intake.SummaryText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final PrintWriter out = spec.commandLine().getOut();
        final long interval = config.getInt(HubConfig.INTAKE_WATCH_INTERVAL_MS);
        TopicSetup.ensure(config);
        try (FeedPublisher publisher = FeedPublisher.connect(config, "hub-watch")) {
            final DropFolder folder = new DropFolder(dir, IntakeService.of(config, publisher), true);
            folder.prepare();
            out.printf("Watching %s (one folder per feed). Press Ctrl-C to stop.%n", dir.toAbsolutePath());
            out.flush();
            while (!Thread.currentThread().isInterrupted()) {
                for (final IntakeSummary summary : folder.scan()) {
                    SummaryText.print(summary, out);
                }
                Thread.sleep(interval);
            }
        }
        return 0;
    }
}
