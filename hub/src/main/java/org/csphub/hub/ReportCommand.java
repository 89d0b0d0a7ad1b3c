package org.csphub.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.csphub.access.Audience;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.geography.Geography;
import org.csphub.sinks.report.StrategicAssessmentReport;
import org.csphub.sinks.snapshot.MetricSnapshot;
import org.csphub.sinks.snapshot.MetricSnapshotReader;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub report}: the Strategic Assessment for one financial year, as one self-contained HTML file. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Reads the metric topics to their end and writes the Strategic Assessment for one financial "
                + "year as a single self-contained HTML file, in the public view (disclosure control applied) "
                + "unless --audience partner asks for the full figures; the report says which view it shows.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--period", required = true, paramLabel = "YYYY/YY",
            description = "The financial year, e.g. 2020/21.")
    String period;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "report.html",
            description = "Where to write the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--city", paramLabel = "DISTRICT", defaultValue = "E07000008",
            description = "The district (ONS code or name) the city and ward figures are for (default: Cambridge, "
                    + "${DEFAULT-VALUE}).")
    String city;

    @Option(names = "--audience", paramLabel = "public|partner", defaultValue = "public",
            converter = AudienceConverter.class,
            description = "Whose view: public (the default, since the assessment is published: disclosure control "
                    + "applied) or partner (the full figures, not for publication).")
    Audience audience;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final Geography geography = Geography.defaults();
        final String cityCode = geography.district(city).orElseThrow(() ->
                new IllegalArgumentException("Unknown district '" + city + "'")).code();
        // the feeds of feeds.dir come after the shipped ones: a section of their own when they have a report block
        final FeedCatalog catalog = FeedCatalog.of(config);
        final MetricSnapshot snapshot;
        try {
            snapshot = reader(config, catalog).read(Duration.ofMinutes(2));
        } catch (TopicAuthorizationException e) {
            // the report applies disclosure control itself, from the full figures
            throw new IllegalStateException("these credentials may not read " + String.join(", ",
                    e.unauthorizedTopics()) + ": the report is written from the metric topics, which the access "
                    + "file lets partner readers (the research group) and the sinks read; a public reader reads "
                    + "the published topics, the report's public view as the sinks publish it", e);
        }
        final String html = new StrategicAssessmentReport(DisclosureControl.of(config, geography), geography,
                catalog.contracts(), audience)
                .render(snapshot.metrics(), new StrategicAssessmentReport.Options(period, cityCode,
                        snapshot.readAt()));
        final Path target = out.toAbsolutePath();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        final Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temporary, html);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        spec.commandLine().getOut().printf("Wrote the Strategic Assessment %s, %s view (%d metric values, %,d bytes) "
                + "to %s%n", period, audience, snapshot.metrics().size(), Files.size(target), target);
        return 0;
    }

    /** A reader of every metric topic of {@code catalog}'s families. */
    static MetricSnapshotReader reader(final HubConfig config, final FeedCatalog catalog) {
        final Map<String, Object> consumer = new LinkedHashMap<>(config.kafkaClientProperties());
        consumer.put("bootstrap.servers", config.bootstrapServers());
        return new MetricSnapshotReader(catalog.metricTopics(), consumer, config.serdeProperties(),
                Clock.systemUTC());
    }
}
