package org.csphub.producers.intake;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.config.HubConfig;
import org.csphub.feeds.RejectedRecord;
import org.csphub.geography.Geography;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.serde.AvroSerializer;
import org.csphub.serde.InMemorySchemaRegistry;
import org.csphub.topics.Feed;

/** The intake over a mock producer, a fixed clock and the default geography, for unit tests. */
public final class IntakeHarness {

    public static final Instant NOW = Instant.parse("2021-09-01T11:00:00Z");
    public static final String IDVA_KEY = "a-test-key-of-enough-length";
    private static final Geography GEOGRAPHY = Geography.defaults();

    public final MockProducer<String, GenericRecord> producer = new MockProducer<>(true, null,
            new StringSerializer(), new AvroSerializer<>(InMemorySchemaRegistry.named("producers-unit"), false));
    public final IntakeService intake;

    public IntakeHarness() {
        this(Map.of());
    }

    public IntakeHarness(final Map<String, String> settings) {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), settingsWithKey(settings));
        intake = new IntakeService(FeedAdapters.of(config, GEOGRAPHY), new FeedPublisher(producer),
                Clock.fixed(NOW, ZoneOffset.UTC), IntakeSettings.from(config));
    }

    private static Map<String, String> settingsWithKey(final Map<String, String> settings) {
        final HashMap<String, String> all = new HashMap<>(settings);
        all.putIfAbsent(HubConfig.IDVA_CLIENT_KEY, IDVA_KEY);
        return all;
    }

    public IntakeSummary csv(final Feed feed, final String text) {
        return intake.ingest(feed, "test.csv", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                ExportFormat.CSV);
    }

    public IntakeSummary bytes(final Feed feed, final byte[] bytes, final ExportFormat format) {
        return intake.ingest(feed, "test." + format.name().toLowerCase(), new ByteArrayInputStream(bytes), format);
    }

    public List<ProducerRecord<String, GenericRecord>> raw(final Feed feed) {
        return producer.history().stream().filter(record -> record.topic().equals(feed.rawTopic())).toList();
    }

    public List<RejectedRecord> deadLetters(final Feed feed) {
        return producer.history().stream().filter(record -> record.topic().equals(feed.deadLetterTopic()))
                .map(record -> (RejectedRecord) record.value()).toList();
    }

    /** The codes of the reasons of the only rejected row. */
    public List<String> onlyRejectionCodes(final Feed feed) {
        final List<RejectedRecord> rejected = deadLetters(feed);
        if (rejected.size() != 1) {
            throw new AssertionError("expected one rejected row, found " + rejected.size() + ": " + rejected);
        }
        return rejected.get(0).getReasons().stream().map(reason -> reason.getCode()).toList();
    }

    /** The messages of the only rejected row. */
    public List<String> onlyRejectionMessages(final Feed feed) {
        return deadLetters(feed).get(0).getReasons().stream().map(reason -> reason.getMessage()).toList();
    }
}
