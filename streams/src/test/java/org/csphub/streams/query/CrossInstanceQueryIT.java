package org.csphub.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.csphub.access.AccessPolicy;
import org.csphub.access.Agency;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroSerializer;
import org.csphub.streams.MetricsApplication;
import org.csphub.streams.publish.DisclosurePublisher;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the metrics application (one application id, each with its own state folder,
 * {@code application.server} and HTTP port) split the partitions of the ASB published store, the
 * disclosure-controlled values {@code GET /api/v1/metrics} answers from (the store's partitions are
 * those of the topic its tasks read, found in the topology). That store is partitioned by period
 * type, so each instance owns the whole of some period types. Asked either one, the API
 * answers with the values of both: a question about one period type owned by the other instance is
 * forwarded to it (the asked instance's own part of it is empty, the owner's is the whole answer), and
 * a question without a period type is merged from the parts of both, each part non-empty, the parts
 * adding up to the whole answer without gaps or duplicates. Both instances route each period type to
 * the partition and host the split says, and give the same answers.
 *
 * <p>Every ward and month gets enough incidents, all of one category, that every count the questions
 * cover is at least the disclosure threshold: nothing is withheld, so the answers are compared exactly
 * with the counts this test produced. One more ward gets fewer incidents than the threshold in one
 * month, which the API (asked through the instance that does not own the months) returns withheld:
 * {@code "value": null} and {@code "suppressed": true}.
 *
 * <p>The four period types hash to four different partitions of {@value #PARTITIONS}, so once each
 * instance holds a partition each owns at least one period type; the test checks this before relying
 * on it. The ward and district codes are new on every run, so the answers can be compared exactly
 * with the incidents this test produced, whatever else the shared broker holds.
 */
@Tag("integration")
@Timeout(600)
@ExtendWith(EmbeddedStackExtension.class)
class CrossInstanceQueryIT {

    private static final String STORE = SeriesTopology.publishedStore("asb");
    private static final String METRIC = "asb.incidents";
    private static final String CATEGORY = "category";
    private static final int PARTITIONS = 4;
    private static final int DISTRICTS = 2;
    private static final int WARDS_PER_DISTRICT = 2;
    /** The smallest count shown: the application runs with the default disclosure threshold. */
    private static final int THRESHOLD = DisclosureControl.DEFAULT_THRESHOLD;
    /** How a cell reads when the answer withholds its value. */
    private static final String WITHHELD = "withheld";
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration CONVERGENCE = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final List<YearMonth> MONTHS = new ArrayList<>();
    private static final List<String> QUARTERS = List.of("2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARTNER_TOKEN = "cross-instance-research-token";
    /** The research group, a partner, with {@link #PARTNER_TOKEN}; every instance reads the same access file. */
    private static final ReaderTokens READERS = ReaderTokens.of(AccessPolicy.parse(String.join("\n",
            "agencies:",
            "  - name: police",
            "    principal: csp-police",
            "    feeds: [police-asb]",
            "    token_sha256: " + Agency.tokenHash("cross-instance-police-token"),
            "topologies:",
            "  principal: csp-topologies",
            "  application_id: csp-hub-metrics",
            "research:",
            "  principal: csp-research",
            "  group_prefix: csp-research",
            "  token_sha256: " + Agency.tokenHash(PARTNER_TOKEN),
            ""), "access.yaml"));

    static {
        for (int i = 0; i < 12; i++) {
            MONTHS.add(YearMonth.of(2023, 4).plusMonths(i));
        }
    }

    /** One published value as the test reckons it: where, which breakdown, which period. */
    private record Cell(AreaType areaType, String area, String dimension, String dimensionValue,
            PeriodType periodType, String period) {

        String text(final String metric, final String value) {
            return metric + " " + areaType + " " + area + " "
                    + (dimension == null ? "total" : dimension + "=" + dimensionValue) + " " + periodType + " "
                    + period + " = " + value;
        }
    }

    /** Incidents of one ward, month and category, all produced together. */
    private record Batch(Area ward, YearMonth month, AsbCategory category, int incidents) {
    }

    @Test
    void shouldAnswerWithTheValuesOfBothInstancesWhicheverIsAsked(final EmbeddedStack stack,
            @TempDir final Path state) throws Exception {
        final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        final String applicationId = "cross-instance-query-it-" + run;
        provisionTopics(stack);

        // the period types on distinct partitions: whichever way the split goes, each instance owns one
        final Map<PeriodType, Integer> typePartitions = new EnumMap<>(PeriodType.class);
        for (final PeriodType type : PeriodType.values()) {
            typePartitions.put(type, partition(type));
        }
        assertThat(Set.copyOf(typePartitions.values()))
                .as("the partitions of the period types %s among %d: each must have its own, so that both "
                        + "instances of any split own a period type", typePartitions, PARTITIONS)
                .hasSize(PeriodType.values().length);

        // areas new to this run: wards in districts, and one more ward whose single month is withheld
        final int base = 100_000 + Integer.parseInt(run.substring(0, 5), 16) % 800_000;
        final List<String> districts = IntStream.range(0, DISTRICTS).mapToObj(i -> "E07" + (base + i)).toList();
        final Map<String, Area> wards = new LinkedHashMap<>();
        for (int i = 0; i < DISTRICTS * WARDS_PER_DISTRICT; i++) {
            final String code = "E05" + (base + i);
            final String district = districts.get(i / WARDS_PER_DISTRICT);
            wards.put(code, new Area(code, "Ward " + code, district, "District " + district, null));
        }
        final List<String> wardCodes = List.copyOf(wards.keySet());
        final String smallCode = "E05" + (base + wardCodes.size());
        final Area small = new Area(smallCode, "Ward " + smallCode, districts.get(0), "District " + districts.get(0),
                null);
        final Set<String> ourAreas = new HashSet<>(wardCodes);
        ourAreas.addAll(districts);

        final List<Batch> batches = plan(wards.values());
        // the small ward's incidents: in a month and category that a ward of its district has plenty of,
        // so that its district's counts stay above the threshold and nothing else is withheld for it
        final Batch beside = batches.get(5);
        final Batch withheld = new Batch(small, beside.month(), beside.category(), 2);
        assertThat(beside.ward().getDistrictCode()).isEqualTo(small.getDistrictCode());
        batches.add(withheld);

        final Instance a = new Instance("A", stack, applicationId, state.resolve("a"));
        Instance b = null;
        try {
            final String topic = a.feedOf(STORE, applicationId);
            b = new Instance("B", stack, applicationId, state.resolve("b"));
            final Map<Integer, HostInfo> owners = awaitSplit(a, b, topic);
            final Map<PeriodType, HostInfo> typeOwners = new EnumMap<>(PeriodType.class);
            typePartitions.forEach((type, partition) -> typeOwners.put(type, owners.get(partition)));
            assertThat(Set.copyOf(typeOwners.values()))
                    .as("the owners of the period types (%s, split %s): this test needs a period type owned by "
                            + "each instance", typeOwners, owners)
                    .isEqualTo(Set.of(a.host(), b.host()));

            // both instances route every period type to the partition and host the split says
            for (final PeriodType type : PeriodType.values()) {
                final StreamPartitioner<String, AreaMetric> partitioner =
                        (name, key, value, partitions) -> Optional.of(Set.of(partition(type, partitions)));
                for (final Instance viewer : List.of(a, b)) {
                    final KeyQueryMetadata metadata = viewer.streams().queryMetadataForKey(STORE,
                            DisclosurePublisher.periodTypePrefix(type), partitioner);
                    assertThat(metadata.partition()).as("%s as %s routes it", type, viewer)
                            .isEqualTo(typePartitions.get(type));
                    assertThat(metadata.activeHost()).as("%s as %s routes it", type, viewer)
                            .isEqualTo(typeOwners.get(type));
                }
            }

            final Map<Cell, Long> expected = produce(stack, run, batches);

            final Instance monthOwner = typeOwners.get(PeriodType.MONTH).equals(a.host()) ? a : b;
            final Instance other = monthOwner == a ? b : a;
            final PeriodType otherType = typeOwners.entrySet().stream()
                    .filter(entry -> entry.getValue().equals(other.host())).map(Map.Entry::getKey)
                    .findFirst().orElseThrow();
            final String ward = wardCodes.get(0);
            final String district = districts.get(0);
            final List<String> middleMonths = MONTHS.subList(2, 8).stream().map(YearMonth::toString).toList();
            final List<String> laterQuarters = QUARTERS.subList(1, 4);
            final String nuisanceWard = wardCodes.stream()
                    .filter(code -> expected.keySet().stream().anyMatch(cell -> cell.area().equals(code)
                            && AsbCategory.NUISANCE.name().equals(cell.dimensionValue())
                            && laterQuarters.contains(cell.period())))
                    .findFirst().orElseThrow(() -> new AssertionError("no ward has NUISANCE incidents in "
                            + laterQuarters));

            // one ward's monthly totals, asked of both: the instance that does not own MONTH forwards
            final String wardMonths = parameters("metric", METRIC, "area_type", "WARD", "area", ward,
                    "period_type", "MONTH", "from", middleMonths.get(0),
                    "to", middleMonths.get(middleMonths.size() - 1));
            final List<String> wardMonthsExpected = expect(expected, cell -> cell.areaType() == AreaType.WARD
                    && cell.area().equals(ward) && cell.dimension() == null && cell.periodType() == PeriodType.MONTH
                    && middleMonths.contains(cell.period()));
            // one ward's NUISANCE incidents by quarter (labels with a space and a slash)
            final String nuisance = parameters("metric", METRIC, "area_type", "WARD", "area", nuisanceWard,
                    "dimension", CATEGORY, "dimension_value", AsbCategory.NUISANCE.name(), "period_type", "QUARTER",
                    "from", laterQuarters.get(0), "to", laterQuarters.get(laterQuarters.size() - 1));
            final List<String> nuisanceExpected = expect(expected, cell -> cell.areaType() == AreaType.WARD
                    && cell.area().equals(nuisanceWard) && CATEGORY.equals(cell.dimension())
                    && AsbCategory.NUISANCE.name().equals(cell.dimensionValue())
                    && cell.periodType() == PeriodType.QUARTER && laterQuarters.contains(cell.period()));
            // a district's totals of every period type: no period type, so every instance is asked
            final String allPeriods = parameters("metric", METRIC, "area", district);
            final List<String> allPeriodsExpected = expect(expected, cell -> cell.areaType() == AreaType.DISTRICT
                    && cell.area().equals(district) && cell.dimension() == null);
            // every ward, by a period type the instance that owns MONTH does not own
            final String allWards = parameters("metric", METRIC, "area_type", "WARD", "period_type", otherType.name());
            final List<String> allWardsExpected = expect(expected, cell -> cell.areaType() == AreaType.WARD
                    && ourAreas.contains(cell.area()) && cell.dimension() == null && cell.periodType() == otherType);
            assertThat(List.of(wardMonthsExpected, nuisanceExpected, allPeriodsExpected, allWardsExpected))
                    .allSatisfy(cells -> assertThat(cells).isNotEmpty().noneMatch(cell -> cell.endsWith(WITHHELD)));
            assertThat(expected.entrySet().stream().filter(entry -> ourAreas.contains(entry.getKey().area()))
                    .mapToLong(Map.Entry::getValue).min().orElseThrow())
                    .as("the smallest count of this test's wards and districts").isGreaterThanOrEqualTo(THRESHOLD);

            final Map<String, List<String>> questions = new LinkedHashMap<>();
            questions.put(wardMonths, wardMonthsExpected);
            questions.put(nuisance, nuisanceExpected);
            questions.put(allPeriods, allPeriodsExpected);
            questions.put(allWards, allWardsExpected);
            for (final Map.Entry<String, List<String>> question : questions.entrySet()) {
                final List<Map<String, Object>> fromA =
                        awaitAnswer(a, question.getKey(), question.getValue(), ourAreas);
                final List<Map<String, Object>> fromB =
                        awaitAnswer(b, question.getKey(), question.getValue(), ourAreas);
                assertThat(fromB).as("B's answer to %s", question.getKey()).isEqualTo(fromA);
            }

            // what made the answers: a period type's values come from its owner alone, and an instance
            // asked for a period type it does not own refuses (a moved assignment gives no partial answer)
            assertThat(get(other, MetricsQueryService.LOCAL_PATH, wardMonths).status())
                    .as("%s asked for MONTH, which it does not own", other).isEqualTo(503);
            assertThat(cells(rows(monthOwner, MetricsQueryService.LOCAL_PATH, wardMonths, ourAreas)))
                    .as("%s's own part of MONTH", monthOwner).isEqualTo(wardMonthsExpected);
            assertThat(get(monthOwner, MetricsQueryService.LOCAL_PATH, allWards).status())
                    .as("%s asked for %s, which it does not own", monthOwner, otherType).isEqualTo(503);
            assertThat(cells(rows(other, MetricsQueryService.LOCAL_PATH, allWards, ourAreas)))
                    .as("%s's own part of %s", other, otherType).isEqualTo(allWardsExpected);
            // and a question without a period type is the parts of every period type, each from its owner
            assertThat(get(a, MetricsQueryService.LOCAL_PATH, allPeriods).status())
                    .as("a local question without a period type").isEqualTo(400);
            final List<String> parts = new ArrayList<>();
            for (final PeriodType type : PeriodType.values()) {
                final Instance owner = typeOwners.get(type).equals(a.host()) ? a : b;
                final String part = allPeriods + "&period_type=" + type.name();
                parts.addAll(cells(rows(owner, MetricsQueryService.LOCAL_PATH, part, ourAreas)));
                assertThat(get(owner == a ? b : a, MetricsQueryService.LOCAL_PATH, part).status())
                        .as("%s asked by the instance that does not own it", type).isEqualTo(503);
            }
            assertThat(parts).as("the owners' parts together").doesNotHaveDuplicates();
            assertThat(parts.stream().sorted().toList()).as("the owners' parts together").isEqualTo(allPeriodsExpected);

            // disclosure control applies: the small ward's month is withheld, also through forwarding
            final String smallMonths = parameters("metric", METRIC, "area_type", "WARD", "area", smallCode,
                    "period_type", "MONTH");
            final List<String> smallExpected = expect(expected, cell -> cell.area().equals(smallCode)
                    && cell.dimension() == null && cell.periodType() == PeriodType.MONTH);
            assertThat(smallExpected).containsExactly(new Cell(AreaType.WARD, smallCode, null, null, PeriodType.MONTH,
                    withheld.month().toString()).text(METRIC, WITHHELD));
            final List<Map<String, Object>> smallRows = awaitAnswer(other, smallMonths, smallExpected, Set.of(smallCode));
            assertThat(smallRows).singleElement().satisfies(row -> assertThat(row)
                    .containsEntry("period", withheld.month().toString())
                    .containsEntry("suppressed", true)
                    .containsEntry("value", null));

            // a partner's token gets the full figures, also through forwarding: the owner of the months sees
            // the caller's own token and answers from the store of the metric topic's values
            final Map<String, Object> partnerRow = awaitPartnerRow(other, smallMonths);
            assertThat(partnerRow).containsEntry("period", withheld.month().toString())
                    .containsEntry("suppressed", false)
                    .containsEntry("value", (double) withheld.incidents());
            assertThat(get(other, MetricsQueryService.PATH, smallMonths, "Bearer not-a-readers-token").status())
                    .as("an unknown token").isEqualTo(401);
            assertThat(get(monthOwner, MetricsQueryService.LOCAL_PATH, smallMonths, "Bearer not-a-readers-token")
                    .status()).as("an unknown token on the instances' own route").isEqualTo(401);

            assertThat(ownership(a, topic)).as("the split, after the questions").isEqualTo(owners);
        } finally {
            closeBoth(a, b);
        }
    }

    /**
     * Creates the hub's topics. The broker is shared by this JVM's tests, and one that ran before may
     * have created the ASB raw and metric topics with fewer partitions: they are grown to
     * {@value #PARTITIONS}, which the family's internal topics follow.
     */
    private static void provisionTopics(final EmbeddedStack stack) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()))) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(PARTITIONS, (short) 1)).ensureAll();
            final List<String> topics = List.of("csp.raw.police-asb", "csp.metrics.asb");
            final Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            for (final String topic : topics) {
                final int partitions = described.get(topic).partitions().size();
                if (partitions < PARTITIONS) {
                    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(PARTITIONS))).all()
                            .get(30, TimeUnit.SECONDS);
                } else {
                    assertThat(partitions).as("partitions of %s", topic).isEqualTo(PARTITIONS);
                }
            }
        }
    }

    /** The partition of a period type's values in the published store's topic of {@value #PARTITIONS}. */
    private static int partition(final PeriodType type) {
        return partition(type, PARTITIONS);
    }

    /**
     * The partition of a period type's values, as the application places them: dealt out in the order
     * months, rolling years, quarters, years.
     */
    private static int partition(final PeriodType type, final int partitions) {
        return List.of(PeriodType.MONTH, PeriodType.ROLLING_12M, PeriodType.QUARTER, PeriodType.FINANCIAL_YEAR)
                .indexOf(type) % partitions;
    }

    /**
     * Five to eight incidents per ward and month of 2023/24, all of one category, both at random (a
     * fixed seed): every count, whatever its area, breakdown and period, is 0 or at least the threshold.
     */
    private static List<Batch> plan(final Collection<Area> wards) {
        final Random random = new Random(20230401L);
        final List<Batch> batches = new ArrayList<>();
        for (final Area ward : wards) {
            for (final YearMonth month : MONTHS) {
                batches.add(new Batch(ward, month, AsbCategory.values()[random.nextInt(AsbCategory.values().length)],
                        THRESHOLD + random.nextInt(4)));
            }
        }
        return batches;
    }

    /**
     * The batches' incidents at random times of their months (a fixed seed), keyed by new ids spread
     * over the raw topic's partitions; returns the counts they make, per ward and district, total and
     * category, for every period type.
     */
    private static Map<Cell, Long> produce(final EmbeddedStack stack, final String run, final List<Batch> batches)
            throws Exception {
        final Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", stack.schemaRegistryUrl());
        final AvroSerializer<AsbIncident> serializer = new AvroSerializer<>();
        serializer.configure(configs, false);
        final Random random = new Random(20240331L);
        final Map<Cell, Long> counts = new HashMap<>();
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, AsbIncident> producer = new KafkaProducer<>(configs, new StringSerializer(),
                serializer)) {
            int id = 0;
            for (final Batch batch : batches) {
                for (int i = 0; i < batch.incidents(); i++) {
                    final Instant at = batch.month().atDay(1 + random.nextInt(28))
                            .atTime(7 + random.nextInt(14), random.nextInt(60)).atZone(LONDON).toInstant();
                    final String key = "ASB-" + run + "-" + (++id);
                    sent.add(producer.send(new ProducerRecord<>("csp.raw.police-asb", key,
                            new AsbIncident(key, at, batch.category(), batch.ward(), Instant.now(), null))));
                }
                for (final AreaType level : List.of(AreaType.WARD, AreaType.DISTRICT)) {
                    final String area = level == AreaType.WARD
                            ? batch.ward().getWardCode() : batch.ward().getDistrictCode();
                    for (final String value : new String[] {null, batch.category().name()}) {
                        final String dimension = value == null ? null : CATEGORY;
                        for (final PeriodType type : PeriodType.values()) {
                            for (final String period : periods(type, batch.month())) {
                                counts.merge(new Cell(level, area, dimension, value, type, period),
                                        (long) batch.incidents(), Long::sum);
                            }
                        }
                    }
                }
            }
            producer.flush();
        }
        final Set<Integer> partitions = new TreeSet<>();
        for (final Future<RecordMetadata> metadata : sent) {
            partitions.add(metadata.get().partition());
        }
        assertThat(partitions).as("raw partitions written")
                .containsExactlyElementsOf(IntStream.range(0, PARTITIONS).boxed().toList());
        return counts;
    }

    /**
     * The labels of the periods of a type that hold a month: its month, its financial-year quarter (April
     * to June is Q1), its financial year, and the twelve rolling years that end in it or after it.
     */
    private static List<String> periods(final PeriodType type, final YearMonth month) {
        final int start = month.getMonthValue() >= 4 ? month.getYear() : month.getYear() - 1;
        final String year = String.format("%d/%02d", start, (start + 1) % 100);
        return switch (type) {
            case MONTH -> List.of(month.toString());
            case QUARTER -> List.of(year + " Q" + ((month.getMonthValue() + 8) % 12 / 3 + 1));
            case FINANCIAL_YEAR -> List.of(year);
            case ROLLING_12M -> IntStream.range(0, 12).mapToObj(i -> "12m to " + month.plusMonths(i)).toList();
        };
    }

    /** The cells a question should answer, sorted, each with its count or withheld where it is below the threshold. */
    private static List<String> expect(final Map<Cell, Long> counts, final Predicate<Cell> question) {
        return counts.entrySet().stream().filter(entry -> question.test(entry.getKey()))
                .map(entry -> entry.getKey().text(METRIC,
                        entry.getValue() < THRESHOLD ? WITHHELD : Long.toString(entry.getValue())))
                .sorted().toList();
    }

    /** An answer's rows as cells with their values, sorted (a row given twice appears twice). */
    private static List<String> cells(final List<Map<String, Object>> rows) {
        final List<String> cells = new ArrayList<>();
        for (final Map<String, Object> row : rows) {
            final Object value = row.get("value");
            final String shown = value == null ? "null" : number(((Number) value).doubleValue());
            final String text = Boolean.TRUE.equals(row.get("suppressed"))
                    ? (value == null ? WITHHELD : WITHHELD + " but " + shown) : shown;
            cells.add(new Cell(AreaType.valueOf((String) row.get("area_type")), (String) row.get("area_code"),
                    (String) row.get("dimension"), (String) row.get("dimension_value"),
                    PeriodType.valueOf((String) row.get("period_type")), (String) row.get("period"))
                    .text(String.valueOf(row.get("metric")), text));
        }
        cells.sort(null);
        return cells;
    }

    private static String number(final double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** Asks an instance until its answer, restricted to the given areas, holds the expected cells. */
    private static List<Map<String, Object>> awaitAnswer(final Instance instance, final String parameters,
            final List<String> expected, final Set<String> ourAreas) throws Exception {
        final Instant deadline = Instant.now().plus(CONVERGENCE);
        Answer last = null;
        List<String> lastCells = List.of();
        while (Instant.now().isBefore(deadline)) {
            last = get(instance, MetricsQueryService.PATH, parameters);
            if (last.status() == 200) {
                final List<Map<String, Object>> rows = ours(last, ourAreas);
                lastCells = cells(rows);
                if (lastCells.equals(expected)) {
                    assertThat(((Number) last.body().get("count")).intValue()).isEqualTo(last.rows().size());
                    return rows;
                }
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        assertThat(last).isNotNull();
        assertThat(last.status()).as("%s answering %s: %s", instance.name(), parameters, last.body()).isEqualTo(200);
        assertThat(lastCells).as("%s answering %s", instance.name(), parameters).isEqualTo(expected);
        return List.of();
    }

    /** One answer, which must be 200, restricted to the given areas. */
    private static List<Map<String, Object>> rows(final Instance instance, final String path, final String parameters,
            final Set<String> ourAreas) throws Exception {
        final Answer answer = get(instance, path, parameters);
        assertThat(answer.status()).as("%s%s?%s: %s", instance.name(), path, parameters, answer.body()).isEqualTo(200);
        return ours(answer, ourAreas);
    }

    private static List<Map<String, Object>> ours(final Answer answer, final Set<String> ourAreas) {
        return answer.rows().stream().filter(row -> ourAreas.contains((String) row.get("area_code"))).toList();
    }

    private record Answer(int status, Map<String, Object> body) {

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows() {
            return (List<Map<String, Object>>) body.get("rows");
        }
    }

    private static Answer get(final Instance instance, final String path, final String parameters)
            throws IOException, InterruptedException {
        return get(instance, path, parameters, null);
    }

    private static Answer get(final Instance instance, final String path, final String parameters,
            final String authorization) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://"
                + instance.host().host() + ":" + instance.host().port() + path + "?" + parameters))
                .timeout(Duration.ofSeconds(60)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        final HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readValue(response.body(),
                new TypeReference<Map<String, Object>>() { }));
    }

    /** Asks with the partner's token until the answer is the partner view's single row. */
    private static Map<String, Object> awaitPartnerRow(final Instance instance, final String parameters)
            throws Exception {
        final Instant deadline = Instant.now().plus(CONVERGENCE);
        Answer last = null;
        while (Instant.now().isBefore(deadline)) {
            last = get(instance, MetricsQueryService.PATH, parameters, "Bearer " + PARTNER_TOKEN);
            if (last.status() == 200 && last.rows().size() == 1) {
                assertThat(last.body()).containsEntry("audience", "partner");
                return last.rows().get(0);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new AssertionError(instance.name() + " did not answer the partner's " + parameters + ": " + last);
    }

    /** Query parameters, with spaces as {@code %20} (the service forwards them as {@code +}). */
    private static String parameters(final String... namesAndValues) {
        final List<String> pairs = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            pairs.add(namesAndValues[i] + "="
                    + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("&", pairs);
    }

    /**
     * Waits until both instances run and, in the view of each, the partitions of the published store's
     * tasks are split between the two (each holding at least one, as its own threads confirm);
     * returns which host holds each partition.
     */
    private static Map<Integer, HostInfo> awaitSplit(final Instance a, final Instance b, final String topic) {
        final Instant deadline = Instant.now().plus(STARTUP);
        String seen = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                final Map<Integer, HostInfo> owners = ownership(a, topic);
                seen = a.streams().state() + "/" + b.streams().state() + ", A sees " + owners + ", B sees "
                        + ownership(b, topic) + ", clients " + a.streams().metadataForAllStreamsClients().size();
                if (a.streams().state() == KafkaStreams.State.RUNNING
                        && b.streams().state() == KafkaStreams.State.RUNNING
                        && owners.size() == PARTITIONS && Set.copyOf(owners.values()).equals(Set.of(a.host(), b.host()))
                        && ownership(b, topic).equals(owners)
                        && a.streams().metadataForAllStreamsClients().size() == 2
                        && localPartitions(a, topic).equals(partitionsOf(owners, a.host()))
                        && localPartitions(b, topic).equals(partitionsOf(owners, b.host()))) {
                    return owners;
                }
            } catch (RuntimeException e) {
                seen = e.toString();
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new AssertionError("The published store was not split between the two instances within " + STARTUP
                + ": " + seen);
    }

    /** Which host actively holds each partition of {@code topic} in the published store, as an instance sees it. */
    private static Map<Integer, HostInfo> ownership(final Instance viewer, final String topic) {
        final Map<Integer, HostInfo> owners = new TreeMap<>();
        final Collection<StreamsMetadata> holders = viewer.streams().streamsMetadataForStore(STORE);
        for (final StreamsMetadata holder : holders) {
            if (!holder.stateStoreNames().contains(STORE)) {
                continue;
            }
            for (final TopicPartition partition : holder.topicPartitions()) {
                if (partition.topic().equals(topic) && owners.put(partition.partition(), holder.hostInfo()) != null) {
                    throw new IllegalStateException("partition " + partition + " has two active hosts");
                }
            }
        }
        return owners;
    }

    private static Set<Integer> partitionsOf(final Map<Integer, HostInfo> owners, final HostInfo host) {
        return owners.entrySet().stream().filter(entry -> entry.getValue().equals(host)).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The partitions of {@code topic} in the active tasks of an instance's own threads. */
    private static Set<Integer> localPartitions(final Instance instance, final String topic) {
        final Set<Integer> partitions = new TreeSet<>();
        for (final ThreadMetadata thread : instance.streams().metadataForLocalThreads()) {
            for (final TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream().filter(partition -> partition.topic().equals(topic))
                        .forEach(partition -> partitions.add(partition.partition()));
            }
        }
        return partitions;
    }

    private static void closeBoth(final Instance a, final Instance b) throws InterruptedException {
        if (b == null) {
            a.close();
            return;
        }
        final Thread closingB = Thread.ofPlatform().name("close-instance-b").start(b::close);
        a.close();
        closingB.join();
    }

    /** One instance: the application and its query endpoint on a port of its own. */
    private static final class Instance implements AutoCloseable {

        private final String name;
        private final Javalin http;
        private final HostInfo host;
        private final Topology topology;
        private final MetricsApplication application;

        Instance(final String name, final EmbeddedStack stack, final String applicationId, final Path dataDir) {
            this.name = name;
            this.http = Javalin.create(config -> config.showJavalinBanner = false).start("127.0.0.1", 0);
            try {
                this.host = new HostInfo("127.0.0.1", http.port());
                final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                        HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                        HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                        HubConfig.DATA_DIR, dataDir.toString(),
                        "kafka.application.id", applicationId));
                final Properties properties = MetricsApplication.properties(config, host.host() + ":" + host.port());
                // police ASB is open as shipped: here it is withheld below the threshold, so that a withheld
                // cell and the partners' full figure can both be asked for across instances
                this.topology = MetricsApplication.topology(config.serdeProperties(), config.get(HubConfig.CSP_CODE),
                        config.get(HubConfig.CSP_NAME), new DisclosureControl(THRESHOLD, code -> Geography.defaults()
                                .wardByCode(code).map(ward -> ward.district().code())), properties,
                        FeedCatalog.shipped());
                this.application = new MetricsApplication(topology, properties);
                new MetricsQueryService(application.streams(), host, FeedCatalog.shipped(), READERS).addRoutes(http);
                application.start();
            } catch (RuntimeException e) {
                http.stop();
                throw e;
            }
        }

        String name() {
            return name;
        }

        HostInfo host() {
            return host;
        }

        KafkaStreams streams() {
            return application.streams();
        }

        /**
         * The topic the tasks of {@code store} read, whose partitions are the store's: found in the
         * topology, with an internal topic named as the application names it ({@code applicationId-}).
         */
        String feedOf(final String store, final String applicationId) {
            final Set<String> topics = new TreeSet<>();
            for (final TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
                final boolean holds = subtopology.nodes().stream()
                        .anyMatch(node -> node instanceof TopologyDescription.Processor processor
                                && processor.stores().contains(store));
                if (holds) {
                    subtopology.nodes().stream().filter(TopologyDescription.Source.class::isInstance)
                            .forEach(node -> topics.addAll(((TopologyDescription.Source) node).topicSet()));
                }
            }
            assertThat(topics).as("the topics the tasks of %s read", store).hasSize(1);
            final String topic = topics.iterator().next();
            return topic.endsWith("-repartition") ? applicationId + "-" + topic : topic;
        }

        @Override
        public void close() {
            try {
                application.close();
            } finally {
                http.stop();
            }
        }

        @Override
        public String toString() {
            return name + "@" + host.host() + ":" + host.port();
        }
    }
}
