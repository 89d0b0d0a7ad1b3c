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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroSerializer;
import org.csphub.streams.MetricsApplication;
import org.csphub.streams.asb.AsbMetricsTopology;
import org.csphub.streams.series.SeriesKey;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the metrics application (one application id, each with its own state folder,
 * {@code application.server} and HTTP port) split the ASB metric store between them. Asked either
 * one, {@code GET /api/v1/metrics} answers with the values of both: a question about one series held
 * by the other instance is forwarded to it, and a question about many series is merged from the
 * parts each instance holds, without gaps or duplicates.
 *
 * <p>The ward and district codes are new on every run, so the answers can be compared exactly
 * with the incidents this test produced, whatever else the shared broker holds.
 */
@Tag("integration")
@Timeout(600)
@ExtendWith(EmbeddedStackExtension.class)
class CrossInstanceQueryIT {

    private static final String STORE = SeriesTopology.metricStore(AsbMetricsTopology.FAMILY);
    private static final String METRIC = "asb.incidents";
    private static final String CATEGORY = AsbMetricsTopology.CATEGORY;
    private static final int PARTITIONS = 3;
    private static final int WARDS_PER_PARTITION = 3;
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration CONVERGENCE = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final List<YearMonth> MONTHS = new ArrayList<>();
    private static final List<String> QUARTERS = List.of("2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Test
    void shouldAnswerWithTheValuesOfBothInstancesWhicheverIsAsked(final EmbeddedStack stack,
            @TempDir final Path state) throws Exception {
        final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        final String applicationId = "cross-instance-query-it-" + run;
        final String wardTopic = applicationId + "-asb-ward-total-by-series-repartition";
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()))) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(PARTITIONS, (short) 1)).ensureAll();
        }

        // areas new to this run, chosen so that every partition of the series holds wards and a district
        final int base = 100_000 + Integer.parseInt(run.substring(0, 5), 16) % 800_000;
        final List<String> districts = codes("E07", base, 1, code -> SeriesKey.total(AreaType.DISTRICT, code));
        final List<String> wardCodes = codes("E05", base, WARDS_PER_PARTITION,
                code -> SeriesKey.total(AreaType.WARD, code));
        final Map<String, Area> wards = new LinkedHashMap<>();
        for (int i = 0; i < wardCodes.size(); i++) {
            final String district = districts.get(i % districts.size());
            wards.put(wardCodes.get(i), new Area(wardCodes.get(i), "Ward " + wardCodes.get(i), district,
                    "District " + district, null));
        }
        final Set<String> ourAreas = new HashSet<>(wardCodes);
        ourAreas.addAll(districts);

        final Instance a = new Instance("A", stack, applicationId, state.resolve("a"));
        Instance b = null;
        try {
            b = new Instance("B", stack, applicationId, state.resolve("b"));
            final Map<Integer, HostInfo> owners = awaitSplit(a, b, wardTopic);

            // both instances route every series of the test to the partition and host the test expects
            for (final String code : ourAreas) {
                final AreaType level = wards.containsKey(code) ? AreaType.WARD : AreaType.DISTRICT;
                for (final SeriesKey series : List.of(SeriesKey.total(level, code),
                        new SeriesKey(level, code, CATEGORY, AsbCategory.NUISANCE.name()))) {
                    for (final Instance viewer : List.of(a, b)) {
                        final KeyQueryMetadata metadata = viewer.streams().queryMetadataForKey(STORE, series.text(),
                                new StringSerializer());
                        assertThat(metadata.partition()).as(series.text()).isEqualTo(partition(series));
                        assertThat(metadata.activeHost()).as(series.text()).isEqualTo(owners.get(partition(series)));
                    }
                }
            }

            final Map<Cell, Long> expected = produce(stack, run, wards);

            final HostInfo hostB = b.host();
            final Predicate<String> onB = code -> owners.get(partition(SeriesKey.total(
                    wards.containsKey(code) ? AreaType.WARD : AreaType.DISTRICT, code))).equals(hostB);
            final String wardOnB = wardCodes.stream().filter(onB).findFirst().orElseThrow();
            final String districtOnB = districts.stream().filter(onB).findFirst().orElseThrow();
            final List<String> middleMonths = MONTHS.subList(2, 8).stream().map(YearMonth::toString).toList();
            final List<String> laterQuarters = QUARTERS.subList(1, 4);
            final String nuisanceWardOnB = wardCodes.stream()
                    .filter(code -> owners.get(partition(new SeriesKey(AreaType.WARD, code, CATEGORY,
                            AsbCategory.NUISANCE.name()))).equals(hostB))
                    .filter(code -> expected.keySet().stream().anyMatch(cell -> cell.area().equals(code)
                            && AsbCategory.NUISANCE.name().equals(cell.dimensionValue())
                            && laterQuarters.contains(cell.period())))
                    .findFirst().orElseThrow();

            // one ward's monthly totals, held by B, asked of A (forwarded to the owner)
            final String wardMonths = parameters("metric", METRIC, "area_type", "WARD", "area", wardOnB,
                    "period_type", "MONTH", "from", middleMonths.get(0),
                    "to", middleMonths.get(middleMonths.size() - 1));
            final List<String> wardMonthsExpected = expect(expected, cell -> cell.areaType() == AreaType.WARD
                    && cell.area().equals(wardOnB) && cell.dimension() == null && cell.periodType() == PeriodType.MONTH
                    && middleMonths.contains(cell.period()));
            // one ward's NUISANCE incidents by quarter (labels with a space and a slash), held by B
            final String nuisance = parameters("metric", METRIC, "area_type", "WARD", "area", nuisanceWardOnB,
                    "dimension", CATEGORY, "dimension_value", AsbCategory.NUISANCE.name(), "period_type", "QUARTER",
                    "from", laterQuarters.get(0), "to", laterQuarters.get(laterQuarters.size() - 1));
            final List<String> nuisanceExpected = expect(expected, cell -> cell.areaType() == AreaType.WARD
                    && cell.area().equals(nuisanceWardOnB) && CATEGORY.equals(cell.dimension())
                    && AsbCategory.NUISANCE.name().equals(cell.dimensionValue())
                    && cell.periodType() == PeriodType.QUARTER && laterQuarters.contains(cell.period()));
            // an area without its type: not one series, so every instance is asked
            final String district = parameters("metric", METRIC, "area", districtOnB, "period_type", "MONTH");
            final List<String> districtExpected = expect(expected, cell -> cell.areaType() == AreaType.DISTRICT
                    && cell.area().equals(districtOnB) && cell.dimension() == null
                    && cell.periodType() == PeriodType.MONTH);
            // every ward, by quarter
            final String allWards = parameters("metric", METRIC, "area_type", "WARD", "period_type", "QUARTER");
            final List<String> allWardsExpected = expect(expected, cell -> cell.areaType() == AreaType.WARD
                    && cell.dimension() == null && cell.periodType() == PeriodType.QUARTER);
            // every area and level, by category and month
            final String allCategories = parameters("metric", METRIC, "dimension", CATEGORY, "period_type", "MONTH");
            final List<String> allCategoriesExpected = expect(expected, cell -> CATEGORY.equals(cell.dimension())
                    && cell.periodType() == PeriodType.MONTH);
            assertThat(List.of(wardMonthsExpected, nuisanceExpected, districtExpected, allWardsExpected,
                    allCategoriesExpected)).allSatisfy(cells -> assertThat(cells).isNotEmpty());

            final Map<String, List<String>> questions = new LinkedHashMap<>();
            questions.put(wardMonths, wardMonthsExpected);
            questions.put(nuisance, nuisanceExpected);
            questions.put(district, districtExpected);
            questions.put(allWards, allWardsExpected);
            questions.put(allCategories, allCategoriesExpected);
            for (final Map.Entry<String, List<String>> question : questions.entrySet()) {
                final List<Map<String, Object>> fromA =
                        awaitAnswer(a, question.getKey(), question.getValue(), ourAreas);
                final List<Map<String, Object>> fromB =
                        awaitAnswer(b, question.getKey(), question.getValue(), ourAreas);
                assertThat(fromB).as("B's answer to %s", question.getKey()).isEqualTo(fromA);
            }

            // what made the answers: B alone holds the ward's series, and the parts of A and B add up
            assertThat(rows(a, MetricsQueryService.LOCAL_PATH, wardMonths, ourAreas)).as("A's own part").isEmpty();
            assertThat(cells(rows(b, MetricsQueryService.LOCAL_PATH, wardMonths, ourAreas)))
                    .as("B's own part").isEqualTo(wardMonthsExpected);
            final List<Map<String, Object>> partA = rows(a, MetricsQueryService.LOCAL_PATH, allWards, ourAreas);
            final List<Map<String, Object>> partB = rows(b, MetricsQueryService.LOCAL_PATH, allWards, ourAreas);
            assertThat(partA).isNotEmpty();
            assertThat(partB).isNotEmpty();
            assertThat(areas(partA)).isEqualTo(wardCodes.stream().filter(onB.negate()).collect(Collectors.toSet()));
            assertThat(areas(partB)).isEqualTo(wardCodes.stream().filter(onB).collect(Collectors.toSet()));
            final List<Map<String, Object>> both = new ArrayList<>(partA);
            both.addAll(partB);
            assertThat(cells(both)).isEqualTo(allWardsExpected);
            assertThat(ownership(a, wardTopic)).as("the split, after the questions").isEqualTo(owners);
        } finally {
            closeBoth(a, b);
        }
    }

    /**
     * Codes {@code prefix + n} from {@code base} on, {@code perPartition} of them on each partition of
     * their series, in partition order.
     */
    private static List<String> codes(final String prefix, final int base, final int perPartition,
            final Function<String, SeriesKey> series) {
        final Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (int n = base; byPartition.size() < PARTITIONS
                || byPartition.values().stream().anyMatch(codes -> codes.size() < perPartition); n++) {
            final String code = prefix + n;
            final List<String> codes =
                    byPartition.computeIfAbsent(partition(series.apply(code)), p -> new ArrayList<>());
            if (codes.size() < perPartition) {
                codes.add(code);
            }
        }
        final List<String> codes = new ArrayList<>();
        for (int i = 0; i < perPartition; i++) {
            for (final List<String> partition : byPartition.values()) {
                codes.add(partition.get(i));
            }
        }
        return codes;
    }

    /** The partition of a series in the repartition topics, as Kafka's default partitioner places a string key. */
    private static int partition(final SeriesKey series) {
        return Utils.toPositive(Utils.murmur2(series.text().getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /**
     * Up to three incidents per ward and month of 2023/24, in random categories and at random times
     * (a fixed seed), keyed by new ids spread over the raw topic's partitions; returns the counts
     * they make, per ward and district, total and category, month and quarter.
     */
    private static Map<Cell, Long> produce(final EmbeddedStack stack, final String run, final Map<String, Area> wards)
            throws Exception {
        final Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", stack.schemaRegistryUrl());
        final AvroSerializer<AsbIncident> serializer = new AvroSerializer<>();
        serializer.configure(configs, false);
        final Random random = new Random(20230401L);
        final Map<Cell, Long> counts = new HashMap<>();
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, AsbIncident> producer = new KafkaProducer<>(configs, new StringSerializer(),
                serializer)) {
            int id = 0;
            for (final Area ward : wards.values()) {
                for (final YearMonth month : MONTHS) {
                    final int incidents = random.nextInt(4);
                    for (int i = 0; i < incidents; i++) {
                        final AsbCategory category = AsbCategory.values()[random.nextInt(AsbCategory.values().length)];
                        final Instant at = month.atDay(1 + random.nextInt(28))
                                .atTime(7 + random.nextInt(14), random.nextInt(60)).atZone(LONDON).toInstant();
                        final String key = "ASB-" + run + "-" + (++id);
                        sent.add(producer.send(new ProducerRecord<>(Topics.RAW_POLICE_ASB, key,
                                new AsbIncident(key, at, category, ward, Instant.now(), null))));
                        for (final AreaType level : List.of(AreaType.WARD, AreaType.DISTRICT)) {
                            final String area = level == AreaType.WARD ? ward.getWardCode() : ward.getDistrictCode();
                            for (final String value : new String[] {null, category.name()}) {
                                final String dimension = value == null ? null : CATEGORY;
                                counts.merge(new Cell(level, area, dimension, value, PeriodType.MONTH,
                                        month.toString()), 1L, Long::sum);
                                counts.merge(new Cell(level, area, dimension, value, PeriodType.QUARTER,
                                        quarter(month)), 1L, Long::sum);
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
        assertThat(partitions).as("raw partitions written").containsExactly(0, 1, 2);
        return counts;
    }

    /** The financial-year quarter of a month of 2023/24 (April to June is Q1). */
    private static String quarter(final YearMonth month) {
        final int index = (int) ChronoUnit.MONTHS.between(YearMonth.of(2023, 4), month);
        return QUARTERS.get(index / 3);
    }

    private static List<String> expect(final Map<Cell, Long> counts, final Predicate<Cell> question) {
        return counts.entrySet().stream().filter(entry -> question.test(entry.getKey()))
                .map(entry -> entry.getKey().text(METRIC, Long.toString(entry.getValue()))).sorted().toList();
    }

    /** An answer's rows as cells with their counts, sorted (a row given twice appears twice). */
    private static List<String> cells(final List<Map<String, Object>> rows) {
        final List<String> cells = new ArrayList<>();
        for (final Map<String, Object> row : rows) {
            final double value = ((Number) row.get("value")).doubleValue();
            final String count = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
            cells.add(new Cell(AreaType.valueOf((String) row.get("area_type")), (String) row.get("area_code"),
                    (String) row.get("dimension"), (String) row.get("dimension_value"),
                    PeriodType.valueOf((String) row.get("period_type")), (String) row.get("period"))
                    .text(String.valueOf(row.get("metric")), count));
        }
        cells.sort(null);
        return cells;
    }

    private static Set<String> areas(final List<Map<String, Object>> rows) {
        return rows.stream().map(row -> (String) row.get("area_code")).collect(Collectors.toSet());
    }

    /** Asks an instance until its answer, restricted to this test's areas, holds the expected cells. */
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

    /** One answer, which must be 200, restricted to this test's areas. */
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
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://"
                + instance.host().host() + ":" + instance.host().port() + path + "?" + parameters))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readValue(response.body(),
                new TypeReference<Map<String, Object>>() { }));
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
     * Waits until both instances run and, in the view of each, the partitions of the metric store's
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
        throw new AssertionError("The metric store was not split between the two instances within " + STARTUP
                + ": " + seen);
    }

    /** Which host actively holds each partition of {@code topic} in the metric store, as an instance sees it. */
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
                this.application = new MetricsApplication(MetricsApplication.topology(config, properties), properties);
                new MetricsQueryService(application.streams(), host).addRoutes(http);
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
