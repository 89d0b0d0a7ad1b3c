package org.csphub.producers.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.geography.Geography;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.FeedTopics;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSettings;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two years of generated exports, with bad rows and corrections, published on the real broker and registry. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class GenerateAndPublishIT {

    private static final Clock CLOCK = Clock.fixed(IntakeHarness.NOW, ZoneOffset.UTC);

    private static FeedTopics topicsOf(final Feed feed) {
        return new FeedTopics("it.generated." + feed.slug() + ".raw", "it.generated." + feed.slug() + ".dlq");
    }

    @Test
    void shouldPublishEveryGeneratedRowExceptTheBadOnes(final EmbeddedStack stack, @TempDir final Path dir)
            throws Exception {
        new SyntheticExports(Geography.defaults(), CLOCK).write(new SyntheticExports.Options(YearMonth.of(2019, 4),
                YearMonth.of(2021, 3), 11, 0.02, 0.01), dir);
        final Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        final List<NewTopic> topics = new ArrayList<>();
        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            topics.add(new NewTopic(topicsOf(feed).raw(), 1, (short) 1));
            topics.add(new NewTopic(topicsOf(feed).deadLetter(), 1, (short) 1));
        }
        try (Admin client = Admin.create(admin)) {
            client.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.BOOTSTRAP_SERVERS,
                stack.bootstrapServers(), HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                HubConfig.IDVA_CLIENT_KEY, IntakeHarness.IDVA_KEY));

        try (FeedPublisher publisher = FeedPublisher.connect(config, "generate-and-publish-it")) {
            final IntakeService intake = new IntakeService(FeedAdapters.of(config, Geography.defaults()), publisher,
                    CLOCK, IntakeSettings.from(config), GenerateAndPublishIT::topicsOf);
            for (final Feed feed : FeedCatalog.shipped().feeds()) {
                final Path main = SyntheticExports.fileOf(dir, feed);
                final long rows;
                final long bad;
                try (Stream<String> lines = Files.lines(main)) {
                    final List<String> all = lines.skip(1).toList();
                    rows = all.size();
                    // a faulty row has an id of its own, or none (an empty first field is written as "")
                    bad = all.stream().filter(line -> line.startsWith("BAD-") || line.startsWith("\"\",")).count();
                }
                final IntakeSummary summary;
                final IntakeSummary corrections;
                try (InputStream in = Files.newInputStream(main);
                        InputStream fixes = Files.newInputStream(SyntheticExports.correctionsOf(dir, feed))) {
                    summary = intake.ingest(feed, main.getFileName().toString(), in, ExportFormat.CSV);
                    corrections = intake.ingest(feed, "corrections.csv", fixes, ExportFormat.CSV);
                }

                assertThat(summary.rowsRead()).as(feed.slug()).isEqualTo(rows);
                assertThat(summary.rejected()).as(feed.slug()).isEqualTo(bad).isPositive();
                assertThat(corrections.rejected()).as(feed.slug()).isZero();
                assertThat(endOffset(admin, topicsOf(feed).raw())).as(feed.slug())
                        .isEqualTo(summary.accepted() + corrections.accepted());
                assertThat(endOffset(admin, topicsOf(feed).deadLetter())).as(feed.slug()).isEqualTo(bad);
            }
        }
    }

    private static long endOffset(final Map<String, Object> admin, final String topic) throws Exception {
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin client = Admin.create(admin)) {
            return client.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(30, TimeUnit.SECONDS).offset();
        }
    }
}
