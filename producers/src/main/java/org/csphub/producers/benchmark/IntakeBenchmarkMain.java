package org.csphub.producers.benchmark;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.csphub.config.HubConfig;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.FeedTopics;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSettings;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.geography.Geography;

/**
 * The intake side of {@link PublishBenchmark}, in a JVM of its own: publishes one file and prints the
 * rows, the seconds and the peak heap used, as one line the benchmark reads.
 */
public final class IntakeBenchmarkMain {

    private IntakeBenchmarkMain() {
    }

    public static void main(final String[] args) throws Exception {
        final Path file = Path.of(args[0]);
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.BOOTSTRAP_SERVERS, args[1],
                HubConfig.SCHEMA_REGISTRY_URL, args[2]));
        try (FeedPublisher publisher = FeedPublisher.connect(config, "publish-benchmark")) {
            final IntakeService intake = new IntakeService(FeedAdapters.of(config, Geography.defaults()), publisher,
                    Clock.systemUTC(), IntakeSettings.from(config),
                    feed -> new FeedTopics(PublishBenchmark.RAW_TOPIC, PublishBenchmark.DEAD_LETTER_TOPIC));
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            final long start = System.nanoTime();
            final IntakeSummary summary;
            try (InputStream in = Files.newInputStream(file)) {
                summary = intake.ingest(PublishBenchmark.feed(), file.getFileName().toString(), in, ExportFormat.CSV);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            final long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).mapToLong(pool -> pool.getPeakUsage().getUsed())
                    .sum();
            System.out.printf("INTAKE rows=%d seconds=%.3f peakHeap=%d rejected=%d%n", summary.accepted(), seconds, peak,
                    summary.rejected());
        }
    }
}
