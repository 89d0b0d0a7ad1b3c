package org.csphub.producers.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.geography.Geography;
import org.csphub.producers.feeds.FeedAdapters;
import org.csphub.producers.fuzzing.CampaignCheck;
import org.csphub.producers.fuzzing.CampaignReport;
import org.csphub.producers.fuzzing.CampaignReport.Invariant;
import org.csphub.producers.fuzzing.IntakeCampaign;
import org.csphub.producers.fuzzing.IntakeInputs;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.FeedTopics;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSettings;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thousands of generated requests, a few at a time, to the HTTP intake in front of a real broker and
 * registry: mutated exports of the four feeds as CSV and XLSX, damaged and bomb-like workbooks, wrong
 * tokens, feeds and content types, bodies over the limit; the cases the first campaign found come
 * first (see {@link IntakeInputs#REGRESSION_CASES}). The campaign runs once; each test holds its
 * answers and the records read back from the topics to one invariant. The seed is fixed, so a failure
 * reproduces; {@code hub bench intake-fuzz} runs the same campaign at any size and seed.
 */
@Tag("integration")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class HttpIntakeFuzzIT {

    private static final Logger LOG = LoggerFactory.getLogger(HttpIntakeFuzzIT.class);
    private static final int REQUESTS = 2000;
    private static final long SEED = 20261204L;
    private static final String PREFIX = "fz" + SEED;
    private static final int CLIENTS = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private static FeedPublisher publisher;
    private static Javalin server;
    private static CampaignReport report;

    @BeforeAll
    static void runCampaign(final EmbeddedStack stack) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            final List<NewTopic> topics = new ArrayList<>();
            for (final Feed feed : FeedCatalog.shipped().feeds()) {
                topics.add(new NewTopic(topicsOf(feed).raw(), 1, (short) 1));
                topics.add(new NewTopic(topicsOf(feed).deadLetter(), 1, (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
        final Map<String, String> settings = new HashMap<>(IntakeCampaign.intakeSettings());
        settings.put(HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        settings.put(HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
        settings.put(HubConfig.IDVA_CLIENT_KEY, IntakeHarness.IDVA_KEY);
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), settings);
        publisher = FeedPublisher.connect(config, "http-intake-fuzz-it");
        final IntakeService intake = new IntakeService(FeedAdapters.of(config, Geography.defaults()), publisher,
                Clock.systemUTC(), IntakeSettings.from(config), HttpIntakeFuzzIT::topicsOf);
        server = Javalin.create(IntakeRoutes::configureServer);
        IntakeRoutes.fromConfig(config, intake, IntakeInputs.accessPolicy()).addRoutes(server);
        server.start("127.0.0.1", 0);

        final List<IntakeCampaign.Answer> answers = new IntakeCampaign(URI.create("http://127.0.0.1:" + server.port()),
                DEADLINE, CLIENTS).run(new IntakeInputs(SEED, PREFIX), REQUESTS);
        report = new CampaignCheck(config, HttpIntakeFuzzIT::topicsOf, PREFIX).check(answers);
        LOG.info("Intake campaign of {} requests, seed {}: statuses {}, slowest {} ms, median {} ms, {} rows accepted, "
                + "{} rejected, {} lost, {} duplicated", REQUESTS, SEED, report.statuses(), report.slowestMillis(),
                report.medianMillis(), report.rowsAccepted(), report.rowsRejected(), report.rowsLost(),
                report.rowsDuplicated());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    private static FeedTopics topicsOf(final Feed feed) {
        return new FeedTopics("it.http-fuzz." + feed.slug() + ".raw", "it.http-fuzz." + feed.slug() + ".dlq");
    }

    @Test
    void shouldHaveSentEveryRequestAndReadRowsBack() {
        assertThat(report.statuses().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(REQUESTS);
        // the campaign must reach the rows, or the invariants below hold vacuously
        assertThat(report.statuses().getOrDefault(200, 0L)).isGreaterThan(REQUESTS / 2);
        assertThat(report.recordsRead()).isGreaterThan(REQUESTS);
    }

    @Test
    void shouldAnswerBadInputWithoutAServerError() {
        assertThat(report.examplesOf(Invariant.NO_SERVER_ERROR)).as(description(Invariant.NO_SERVER_ERROR)).isEmpty();
    }

    @Test
    void shouldAnswerEveryRequestBeforeItsDeadline() {
        assertThat(report.examplesOf(Invariant.ANSWERED_IN_TIME)).as(description(Invariant.ANSWERED_IN_TIME)).isEmpty();
    }

    @Test
    void shouldAnswerEachRequestWithAStatusRightForIt() {
        assertThat(report.examplesOf(Invariant.RIGHT_STATUS)).as(description(Invariant.RIGHT_STATUS)).isEmpty();
    }

    @Test
    void shouldPublishNothingFromARefusedRequest() {
        assertThat(report.examplesOf(Invariant.NOTHING_FROM_REFUSED)).as(description(Invariant.NOTHING_FROM_REFUSED))
                .isEmpty();
    }

    @Test
    void shouldAnswerCountsThatAddUp() {
        assertThat(report.examplesOf(Invariant.COUNTS_ADD_UP)).as(description(Invariant.COUNTS_ADD_UP)).isEmpty();
    }

    @Test
    void shouldPublishEveryAcceptedRowOnItsRawTopicAsSent() {
        assertThat(report.examplesOf(Invariant.ACCEPTED_AS_SENT)).as(description(Invariant.ACCEPTED_AS_SENT)).isEmpty();
    }

    @Test
    void shouldPublishEveryRejectedRowOnItsDeadLetterTopicWithItsReasonsAndText() {
        assertThat(report.examplesOf(Invariant.REJECTED_WITH_REASONS)).as(description(Invariant.REJECTED_WITH_REASONS))
                .isEmpty();
    }

    @Test
    void shouldPublishOneRecordForEachRow() {
        assertThat(report.examplesOf(Invariant.ONE_RECORD_PER_ROW)).as(description(Invariant.ONE_RECORD_PER_ROW))
                .isEmpty();
    }

    @Test
    void shouldLoseAndDuplicateNoRow() {
        assertThat(List.of(report.rowsLost(), report.rowsDuplicated())).as("rows lost, rows duplicated")
                .isEqualTo(List.of(0L, 0L));
    }

    @Test
    void shouldKeepEveryRecordWithinTheProducersRequestSize() {
        assertThat(report.examplesOf(Invariant.RECORDS_WITHIN_LIMIT)).as(description(Invariant.RECORDS_WITHIN_LIMIT))
                .isEmpty();
    }

    private static String description(final Invariant invariant) {
        return report.of(invariant).count() + " breach(es) of " + invariant + " in " + REQUESTS + " requests (seed "
                + SEED + "), the first " + CampaignReport.EXAMPLES + " described";
    }
}
