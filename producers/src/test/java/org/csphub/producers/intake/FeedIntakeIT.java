package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.feeds.RejectedRecord;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.geography.Geography;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.serde.AvroDeserializer;
import org.csphub.serde.SerdeConfig;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each feed's intake on a real broker and registry: good rows on the raw topic, bad ones on the dead-letter topic. */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class FeedIntakeIT {

    static List<Feed> shippedFeeds() {
        return FeedCatalog.shipped().feeds();
    }

    private static final Clock CLOCK = Clock.fixed(IntakeHarness.NOW, ZoneOffset.UTC);
    private static final Map<Feed, Class<? extends SpecificRecord>> TYPES = Map.of(FeedCatalog.shipped().feed("police-asb"), AsbIncident.class,
            FeedCatalog.shipped().feed("ambulance-callouts"), AmbulanceCallout.class, FeedCatalog.shipped().feed("idva-referrals"), IdvaReferral.class,
            FeedCatalog.shipped().feed("fire-incidents"), FireIncident.class);
    /** Per feed: three good rows (ids G1-G3), two bad ones with the reason codes each must carry. */
    private static final Map<Feed, String> FILES = Map.of(
            FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,category,ward,lsoa\n"
                    + "G1,2020-07-01T22:15:00,NUISANCE,Market,\nB1,2020-13-01,ROWDY,Market,\n"
                    + "G2,01/03/2020 10:00,PERSONAL,,E01017943\nB2,2020-07-01,NUISANCE,Marketplace,\n"
                    + "G3,2021-06-01,ENVIRONMENTAL,King's Hedges,\n",
            FeedCatalog.shipped().feed("ambulance-callouts"), "callout_id,called_at,ward,lsoa,sex,age\n"
                    + "G1,2020-01-04T01:30,Market,,M,34\nB1,2022-01-01,Nowhere,,X,200\nG2,2020-01-05,Arbury,,F,\n"
                    + "B2,2020-01-05,Arbury,,F,thirty\nG3,2020-01-06,,E01017943,U,90\n",
            FeedCatalog.shipped().feed("idva-referrals"), "referral_id,referred_on,district,strand,dash_score,risk_level,engaged,client_ref,"
                    + "male,disability,lgbt\nG1,15/05/2019,South Cambs,DISTRICT,14,,yes,CL1,no,yes,no\n"
                    + "B1,2019-05-16,Norfolk,ELDERS,31,,maybe,CL2,no,no,no\nG2,2019-05-16,Pboro,A8,,HIGH,no,CL2,yes,no,no\n"
                    + "B2,2019-05-16,Hunts,A8,,,no,,no,no,no\nG3,2019-06-01,Hunts,HEALTH,9,,no,CL1,no,no,no\n",
            FeedCatalog.shipped().feed("fire-incidents"), "incident_id,occurred_at,incident_type,cause,ward,district\n"
                    + "G1,2020-02-01 10:00,SECONDARY_FIRE,DELIBERATE,,Hunts\nB1,2020-02-01,BONFIRE,ARSON,,Fenlands\n"
                    + "G2,2020-02-02,PRIMARY_FIRE,ACCIDENTAL,Arbury,\nB2,,PRIMARY_FIRE,ACCIDENTAL,Arbury,Fenland\n"
                    + "G3,2020-02-03,CHIMNEY_FIRE,NOT_KNOWN,E05002703,\n",
            FeedCatalog.shipped().feed("police-crime"), "crime_id,recorded_on,offence_group,offence_subgroup,"
                    + "domestic_abuse,hate_crime,victim_age,ward,lsoa\n"
                    + "G1,2020-07-01,VIOLENCE_AGAINST_THE_PERSON,VIOLENCE_WITHOUT_INJURY,yes,no,34,Market,\n"
                    + "B1,2020-07-02,THEFT_OFFENCES,STALKING_AND_HARASSMENT,no,no,20,Market,\n"
                    + "G2,01/03/2020,Theft offences,shoplifting,no,no,,,E01017943\n"
                    + "B2,2020-07-01,ROBBERY,ROBBERY_OF_PERSONAL_PROPERTY,maybe,no,130,Arbury,\n"
                    + "G3,2020-06-01,PUBLIC_ORDER_OFFENCES,PUBLIC_ORDER,no,yes,19,King's Hedges,\n",
            FeedCatalog.shipped().feed("needle-finds"), "find_id,found_on,ward,lsoa,needles\n"
                    + "G1,2020-02-01,Market,,3\nB1,2020-02-01,Market,,0\nG2,2020-02-02,,E01017943,12\n"
                    + "B2,2020-02-03,Nowhere,,two\nG3,2020-02-04,Abbey,,1\n",
            FeedCatalog.shipped().feed("ed-assaults"), "attendance_id,attended_on,ward,lsoa,sex,age\n"
                    + "G1,2020-01-04,Market,,M,34\nB1,2020-01-05,Arbury,,X,200\nG2,2020-01-05,,,F,\n"
                    + "B2,2020-01-05,Atlantis,,F,twenty\nG3,2020-01-06,,E01017943,U,90\n");
    private static final Map<Feed, List<List<String>>> BAD_REASONS = Map.of(
            FeedCatalog.shipped().feed("police-asb"), List.of(List.of("BAD_DATE", "NOT_IN_ENUM"), List.of("UNKNOWN_WARD")),
            FeedCatalog.shipped().feed("ambulance-callouts"), List.of(List.of("FUTURE_DATE", "UNKNOWN_WARD", "NOT_IN_ENUM", "OUT_OF_RANGE"),
                    List.of("BAD_NUMBER")),
            FeedCatalog.shipped().feed("idva-referrals"), List.of(List.of("UNKNOWN_DISTRICT", "NOT_IN_ENUM", "OUT_OF_RANGE", "BAD_BOOLEAN"),
                    List.of("MISSING_VALUE", "MISSING_VALUE")),
            FeedCatalog.shipped().feed("fire-incidents"), List.of(List.of("NOT_IN_ENUM", "NOT_IN_ENUM", "UNKNOWN_DISTRICT"),
                    List.of("MISSING_VALUE", "AREA_MISMATCH")),
            FeedCatalog.shipped().feed("police-crime"), List.of(List.of("NOT_IN_GROUP"),
                    List.of("BAD_BOOLEAN", "OUT_OF_RANGE")),
            FeedCatalog.shipped().feed("needle-finds"), List.of(List.of("OUT_OF_RANGE"),
                    List.of("UNKNOWN_WARD", "BAD_NUMBER")),
            FeedCatalog.shipped().feed("ed-assaults"), List.of(List.of("NOT_IN_ENUM", "OUT_OF_RANGE"),
                    List.of("UNKNOWN_WARD", "BAD_NUMBER")));

    private static final FeedTopics RETRACTIONS = new FeedTopics("it.feed-intake.retractions.raw",
            "it.feed-intake.retractions.dlq");
    private static EmbeddedStack stack;
    private static IntakeService retractions;
    private static FeedPublisher publisher;
    private static IntakeService intake;

    @BeforeAll
    static void start(final EmbeddedStack embedded) throws Exception {
        stack = embedded;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            final List<NewTopic> topics = new ArrayList<>();
            for (final Feed feed : FeedCatalog.shipped().feeds()) {
                topics.add(new NewTopic(topicsOf(feed).raw(), 1, (short) 1));
                topics.add(new NewTopic(topicsOf(feed).deadLetter(), 1, (short) 1));
            }
            topics.add(new NewTopic(RETRACTIONS.raw(), 1, (short) 1));
            topics.add(new NewTopic(RETRACTIONS.deadLetter(), 1, (short) 1));
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(), HubConfig.SCHEMA_REGISTRY_URL,
                stack.schemaRegistryUrl(), HubConfig.IDVA_CLIENT_KEY, IntakeHarness.IDVA_KEY));
        publisher = FeedPublisher.connect(config, "feed-intake-it");
        intake = new IntakeService(FeedAdapters.of(config, Geography.defaults()), publisher, CLOCK,
                IntakeSettings.from(config), FeedIntakeIT::topicsOf);
        retractions = new IntakeService(FeedAdapters.of(config, Geography.defaults()), publisher, CLOCK,
                IntakeSettings.from(config), feed -> RETRACTIONS);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
    }

    private static FeedTopics topicsOf(final Feed feed) {
        return new FeedTopics("it.feed-intake." + feed.slug() + ".raw", "it.feed-intake." + feed.slug() + ".dlq");
    }

    private static IntakeSummary publish(final Feed feed, final String source, final String text) {
        return intake.ingest(feed, source, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                ExportFormat.CSV);
    }

    /** Every record of a one-partition topic, read up to its end offset; generic records when {@code type} is null. */
    private static <T> List<ConsumerRecord<String, T>> readAll(final String topic, final Class<? extends SpecificRecord> type) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final AvroDeserializer<T> values = new AvroDeserializer<>(type);
        values.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl()), false);
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), values)) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition)).get(partition);
            final List<ConsumerRecord<String, T>> records = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    @ParameterizedTest
    @MethodSource("shippedFeeds")
    void shouldLeaveExactlyTheGoodRowsOnTheRawTopicAndTheBadOnesWithEveryReasonOnTheDeadLetterTopic(final Feed feed) {
        final IntakeSummary summary = publish(feed, "partner.csv", FILES.get(feed));
        final IntakeHarness expected = new IntakeHarness();
        expected.intake.ingest(feed, "partner.csv", new ByteArrayInputStream(FILES.get(feed)
                .getBytes(StandardCharsets.UTF_8)), ExportFormat.CSV);

        assertThat(summary.rowsRead()).isEqualTo(5);
        assertThat(summary.accepted()).isEqualTo(3);
        assertThat(summary.rejected()).isEqualTo(2);
        final List<ConsumerRecord<String, GenericRecord>> raw = readAll(topicsOf(feed).raw(), null);
        assertThat(raw).extracting(ConsumerRecord::key).containsExactly("G1", "G2", "G3");
        assertThat(raw).extracting(record -> record.value().toString()).isEqualTo(expected.raw(feed).stream()
                .map(record -> record.value().toString()).toList());
        // the compiled record, where the feed has one, reads them as well
        if (TYPES.containsKey(feed)) {
            assertThat(FeedIntakeIT.<SpecificRecord>readAll(topicsOf(feed).raw(), TYPES.get(feed)))
                    .extracting(ConsumerRecord::value).hasSize(3).hasOnlyElementsOfType(TYPES.get(feed));
        }
        final List<ConsumerRecord<String, RejectedRecord>> dead = readAll(topicsOf(feed).deadLetter(), RejectedRecord.class);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactly("partner.csv:3", "partner.csv:5");
        assertThat(dead).extracting(record -> record.value().getReasons().stream().map(reason -> reason.getCode())
                .toList()).isEqualTo(BAD_REASONS.get(feed));
        assertThat(dead).extracting(record -> record.value().getRawText())
                .containsExactly(FILES.get(feed).split("\n")[2], FILES.get(feed).split("\n")[4]);

        // the same file again: the same keys with the same values, nothing new to a compacted reader
        publish(feed, "partner.csv", FILES.get(feed));
        final List<ConsumerRecord<String, GenericRecord>> twice = readAll(topicsOf(feed).raw(), null);
        final Map<String, GenericRecord> latest = new LinkedHashMap<>();
        twice.forEach(record -> latest.put(record.key(), record.value()));
        final Map<String, GenericRecord> first = new LinkedHashMap<>();
        raw.forEach(record -> first.put(record.key(), record.value()));
        assertThat(twice).hasSize(6);
        assertThat(latest).isEqualTo(first);
    }

    @Test
    void shouldPublishATombstoneForADeleteRow() {
        final String file = "incident_id,occurred_at,incident_type,cause,ward,district,action\n"
                + "T1,2020-02-01,PRIMARY_FIRE,ACCIDENTAL,,Fenland,\nT2,,,,,,DELETE\n";

        final IntakeSummary summary = retractions.ingest(FeedCatalog.shipped().feed("fire-incidents"), "retract.csv",
                new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), ExportFormat.CSV);

        assertThat(summary.deletes()).isEqualTo(1);
        final List<ConsumerRecord<String, SpecificRecord>> raw = readAll(RETRACTIONS.raw(), FireIncident.class);
        assertThat(raw).extracting(ConsumerRecord::key).containsExactly("T1", "T2");
        assertThat(raw.get(0).value()).isNotNull();
        assertThat(raw.get(1).value()).isNull();
    }
}
