package org.csphub.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.csphub.config.HubConfig;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.intake.ProgressDisplay;
import org.csphub.producers.intake.PublishFailedException;
import org.csphub.producers.intake.SummaryText;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub publish --feed FEED FILE...}: validates and publishes partner exports, printing a summary of each. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes partner exports (CSV or XLSX) of one feed: valid rows to the feed's raw topic, "
                + "rejected rows with every reason to its dead-letter topic. Exits 1 when a file was refused whole, 2 when "
                + "Kafka did not take some rows (the summary lists them by line; publishing the file again is safe).")
final class PublishCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--feed", required = true, paramLabel = "FEED",
            description = "The feed's slug: a shipped feed (police-asb, ambulance-callouts, idva-referrals, "
                    + "fire-incidents ...) or one of feeds.dir's (hub feeds list shows them all).")
    String feed;

    @Option(names = "--dry-run", description = "Check the exports as publishing would, row by row, and print the "
            + "same summaries, but publish nothing: needs neither Kafka nor the schema registry.")
    boolean dryRun;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The exports to publish.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final FeedCatalog catalog = FeedCatalog.of(config);
        final Feed target = catalog.feed(feed);
        final PrintWriter out = spec.commandLine().getOut();
        int exit = 0;
        if (!dryRun) {
            TopicSetup.ensureIntake(config, catalog, target);
        }
        try (FeedPublisher publisher = dryRun ? FeedPublisher.dryRun(config)
                : FeedPublisher.connect(config, "hub-publish-" + target.slug())) {
            final IntakeService intake = IntakeService.of(config, catalog, publisher);
            for (final Path file : files) {
                final long size = Files.size(file);
                final IntakeSummary summary;
                try {
                    summary = ingest(intake, target, file, size);
                } catch (PublishFailedException e) {
                    e.summary().ifPresent(partial -> SummaryText.print(partial, out));
                    spec.commandLine().getErr().println("error: " + e.getMessage());
                    exit = 2;
                    continue;
                }
                SummaryText.print(summary, out);
                if (dryRun && !summary.refused()) {
                    out.printf("  (dry run: nothing was published)%n");
                }
                if (summary.refused()) {
                    exit = Math.max(exit, 1);
                }
            }
        }
        return exit;
    }

    private static IntakeSummary ingest(final IntakeService intake, final Feed target, final Path file,
            final long size) throws IOException {
        if (size < ProgressDisplay.LARGE_FILE_BYTES) {
            try (InputStream in = Files.newInputStream(file)) {
                return intake.ingest(target, file.getFileName().toString(), in, ExportFormat.ofFileName(file.toString()));
            }
        }
        try (ProgressDisplay progress = ProgressDisplay.start(file.getFileName().toString(), size, System.err);
                InputStream in = progress.track(Files.newInputStream(file))) {
            return intake.ingest(target, file.getFileName().toString(), in, ExportFormat.ofFileName(file.toString()));
        }
    }
}
