package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.IdvaStrand;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.geography.Area;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroDeserializer;
import org.csphub.serde.AvroSerializer;
import org.csphub.streams.query.MetricsQueryService;
import org.csphub.topics.TopicProvisioner;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The IDVA service's 2019/20 referrals table, produced record by record to the raw topic, comes back
 * unchanged from the metric topic and from the query endpoint.
 */
@Tag("integration")
@Timeout(240)
@ExtendWith(EmbeddedStackExtension.class)
class IdvaTableIT {

    private static final String CSP = "cambridgeshire-and-peterborough";
    private static final Map<String, Area> DISTRICTS = new LinkedHashMap<>();
    private static final List<String> QUARTERS = List.of("2019/20 Q1", "2019/20 Q2", "2019/20 Q3", "2019/20 Q4");

    static {
        DISTRICTS.put("City", Records.district("E07000008", "Cambridge"));
        DISTRICTS.put("East", Records.district("E07000009", "East Cambridgeshire"));
        DISTRICTS.put("Fenland", Records.district("E07000010", "Fenland"));
        DISTRICTS.put("Hunts", Records.district("E07000011", "Huntingdonshire"));
        DISTRICTS.put("South", Records.district("E07000012", "South Cambridgeshire"));
        DISTRICTS.put("Peterborough", Records.district("E06000031", "Peterborough"));
    }

    /** The table as the service publishes it: row, then Q1 to Q4. */
    private static final Map<String, long[]> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put("City", new long[] {67, 61, 50, 43});
        TABLE.put("East", new long[] {22, 27, 15, 18});
        TABLE.put("Fenland", new long[] {49, 59, 39, 30});
        TABLE.put("Hunts", new long[] {82, 81, 41, 66});
        TABLE.put("South", new long[] {38, 48, 39, 30});
        TABLE.put("Health all", new long[] {27, 25, 28, 36});
        TABLE.put("CYP all", new long[] {34, 31, 33, 57});
        TABLE.put("A8 all", new long[] {52, 48, 63, 67});
        TABLE.put("Stalking", new long[] {63, 42, 31, 25});
        TABLE.put("Peterborough", new long[] {112, 96, 98, 106});
    }

    private static final Map<String, IdvaStrand> STRAND_ROWS = Map.of("Health all", IdvaStrand.HEALTH,
            "CYP all", IdvaStrand.YOUNG_PEOPLE, "A8 all", IdvaStrand.A8, "Stalking", IdvaStrand.DA_STALKING);
    private static final long[] TOTALS = {546, 518, 437, 478};

    @Test
    void shouldPublishAndAnswerThe2019To20ReferralsTableExactly(final EmbeddedStack stack) throws Exception {
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final Map<String, Object> clients = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(clients)) {
            new TopicProvisioner(admin, TopicProvisioner.Layout.of(3, (short) 1)).ensureAll();
        }
        produce(stack);

        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of(
                HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                HubConfig.DATA_DIR, EmbeddedStackExtension.freshDataDir().toString(),
                "kafka.application.id", "idva-table-it-" + run));
        final Properties properties = MetricsApplication.properties(config, "127.0.0.1:" + port);
        try (MetricsApplication application = new MetricsApplication(MetricsApplication.topology(config, properties),
                properties)) {
            final Javalin http = Javalin.create();
            new MetricsQueryService(application.streams(), new HostInfo("127.0.0.1", port)).addRoutes(http);
            http.start("127.0.0.1", port);
            try {
                final CountDownLatch running = new CountDownLatch(1);
                application.streams().setStateListener((now, before) -> {
                    if (now == KafkaStreams.State.RUNNING) {
                        running.countDown();
                    }
                });
                application.start();
                final Map<String, long[]> fromTopic = readTable(stack, run);
                assertTable(fromTopic);
                assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
                // the query API answers from the published stores, which follow the metric topic
                assertTable(awaitQueryTable(port));
            } finally {
                http.stop();
            }
        }
    }

    private static void assertTable(final Map<String, long[]> table) {
        final Map<String, List<Long>> expected = new LinkedHashMap<>();
        TABLE.forEach((row, counts) -> expected.put(row, asList(counts)));
        expected.put("Total", asList(TOTALS));
        final Map<String, List<Long>> actual = new LinkedHashMap<>();
        table.forEach((row, counts) -> actual.put(row, asList(counts)));
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(asList(TOTALS).stream().mapToLong(Long::longValue).sum()).isEqualTo(1979);
    }

    private static List<Long> asList(final long[] counts) {
        final List<Long> list = new ArrayList<>();
        for (final long count : counts) {
            list.add(count);
        }
        return list;
    }

    /** One referral per count, on days spread over the quarter, each for a new client; plus one sent and retracted. */
    private static void produce(final EmbeddedStack stack) throws Exception {
        final Map<String, Object> configs = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", "schema.registry.url", stack.schemaRegistryUrl());
        final AvroSerializer<IdvaReferral> serializer = new AvroSerializer<>();
        serializer.configure(configs, false);
        final List<Area> cambridgeshire = new ArrayList<>(DISTRICTS.values()).subList(0, 5);
        try (KafkaProducer<String, IdvaReferral> producer = new KafkaProducer<>(configs, new StringSerializer(),
                serializer)) {
            int id = 0;
            for (final Map.Entry<String, long[]> row : TABLE.entrySet()) {
                for (int quarter = 0; quarter < 4; quarter++) {
                    final LocalDate start = LocalDate.of(2019, 4, 1).plusMonths(3L * quarter);
                    for (int i = 0; i < row.getValue()[quarter]; i++) {
                        final String referralId = "IT-" + (++id);
                        final IdvaStrand strand = STRAND_ROWS.getOrDefault(row.getKey(), IdvaStrand.DISTRICT);
                        final Area area = strand == IdvaStrand.DISTRICT ? DISTRICTS.get(row.getKey())
                                : cambridgeshire.get(i % cambridgeshire.size());
                        final LocalDate on = start.plusDays(i * 89L / Math.max(1, row.getValue()[quarter]));
                        producer.send(new ProducerRecord<>("csp.raw.idva-referrals", referralId,
                                Records.referral(referralId, on.toString(), area, strand, RiskLevel.MEDIUM, true,
                                        "client-" + id)));
                    }
                }
            }
            producer.send(new ProducerRecord<>("csp.raw.idva-referrals", "IT-withdrawn", Records.referral(
                    "IT-withdrawn", "2019-05-05", DISTRICTS.get("City"), IdvaStrand.DISTRICT, RiskLevel.HIGH, false,
                    "client-withdrawn")));
            producer.send(new ProducerRecord<>("csp.raw.idva-referrals", "IT-withdrawn", null));
            producer.flush();
        }
    }

    /** The table's cells from the metric topic, read until they match or the deadline passes. */
    private static Map<String, long[]> readTable(final EmbeddedStack stack, final String run) {
        final Map<String, Object> configs = new HashMap<>();
        configs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, "idva-table-reader-" + run);
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put("schema.registry.url", stack.schemaRegistryUrl());
        final AvroDeserializer<AreaMetricKey> keys = new AvroDeserializer<>(AreaMetricKey.class);
        keys.configure(configs, true);
        final AvroDeserializer<AreaMetric> values = new AvroDeserializer<>(AreaMetric.class);
        values.configure(configs, false);
        final Map<AreaMetricKey, AreaMetric> latest = new HashMap<>();
        final Instant deadline = Instant.now().plus(Duration.ofSeconds(300));
        Map<String, long[]> table = Map.of();
        try (KafkaConsumer<AreaMetricKey, AreaMetric> consumer = new KafkaConsumer<>(configs, keys, values)) {
            consumer.subscribe(List.of("csp.metrics.idva"));
            while (Instant.now().isBefore(deadline)) {
                for (final ConsumerRecord<AreaMetricKey, AreaMetric> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
                table = tableOf(latest.values().stream().map(MetricsQueryService::row).toList());
                if (sameTable(table)) {
                    return table;
                }
            }
        }
        return table;
    }

    private static boolean sameTable(final Map<String, long[]> table) {
        if (table.size() != TABLE.size() + 1 || !Arrays.equals(table.get("Total"), TOTALS)) {
            return false;
        }
        return TABLE.entrySet().stream().allMatch(row -> Arrays.equals(table.get(row.getKey()), row.getValue()));
    }

    /** The table's rows from quarterly idva.referrals values, however they were obtained. */
    private static Map<String, long[]> tableOf(final List<Map<String, Object>> rows) {
        final Map<String, long[]> table = new LinkedHashMap<>();
        for (final Map<String, Object> row : rows) {
            if (!"idva.referrals".equals(row.get("metric")) || !"QUARTER".equals(row.get("period_type"))
                    || !QUARTERS.contains(row.get("period"))) {
                continue;
            }
            final String name = rowName(row);
            // a value withheld on the way (its count still small while the topologies catch up) is not there yet
            if (name != null && row.get("value") instanceof Number value) {
                table.computeIfAbsent(name, key -> new long[4])[QUARTERS.indexOf(row.get("period"))] = value.longValue();
            }
        }
        return table;
    }

    private static String rowName(final Map<String, Object> row) {
        final Object dimension = row.get("dimension");
        final Object value = row.get("dimension_value");
        if ("DISTRICT".equals(row.get("area_type")) && "strand".equals(dimension) && "DISTRICT".equals(value)) {
            return DISTRICTS.entrySet().stream().filter(entry -> entry.getValue().getDistrictCode()
                    .equals(row.get("area_code"))).map(Map.Entry::getKey).findFirst().orElse(null);
        }
        if ("CSP".equals(row.get("area_type")) && "strand".equals(dimension)) {
            return STRAND_ROWS.entrySet().stream().filter(entry -> entry.getValue().name().equals(value))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }
        return "CSP".equals(row.get("area_type")) && dimension == null ? "Total" : null;
    }

    /** The table from the query API, asked until it matches or the deadline passes. */
    private static Map<String, long[]> awaitQueryTable(final int port) throws Exception {
        final Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        Map<String, long[]> table = queryTable(port);
        while (!sameTable(table) && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            table = queryTable(port);
        }
        return table;
    }

    private static Map<String, long[]> queryTable(final int port) throws Exception {
        final List<Map<String, Object>> rows = new ArrayList<>();
        rows.addAll(query(port, "metric=idva.referrals&area_type=DISTRICT&dimension=strand&dimension_value=DISTRICT"
                + "&period_type=QUARTER&from=2019/20 Q1&to=2019/20 Q4"));
        rows.addAll(query(port, "metric=idva.referrals&area_type=CSP&area=" + CSP + "&dimension=strand"
                + "&period_type=QUARTER&from=2019/20 Q1&to=2019/20 Q4"));
        rows.addAll(query(port, "metric=idva.referrals&area_type=CSP&area=" + CSP
                + "&period_type=QUARTER&from=2019/20 Q1&to=2019/20 Q4"));
        return tableOf(rows);
    }

    private static List<Map<String, Object>> query(final int port, final String parameters) throws Exception {
        final String encoded = parameters.replace(" ", "%20").replace("/", URLEncoder.encode("/", StandardCharsets.UTF_8));
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + MetricsQueryService.PATH + "?" + encoded)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        final Map<String, Object> body = new ObjectMapper().readValue(response.body(),
                new TypeReference<Map<String, Object>>() { });
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> rows = (List<Map<String, Object>>) body.get("rows");
        return rows;
    }
}
