package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.csphub.config.HubConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The check promtool would make, as far as the build can: docker/alerts.yml is YAML of Prometheus'
 * rule-file shape, and every hub metric its expressions name is one the hub really exports.
 */
class AlertRulesTest {

    private static final Pattern HUB_METRIC = Pattern.compile("\\bcsphub_[a-zA-Z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    /** Series Prometheus makes itself for every target. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static JsonNode rules;
    private static Set<String> exported;

    @BeforeAll
    static void readRulesAndScrapeEveryMeter() throws IOException {
        final Path docker = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolveSibling("docker");
        rules = new ObjectMapper(new YAMLFactory()).readTree(docker.resolve("alerts.yml").toFile());
        exported = exportedSampleNames();
    }

    /** Every sample name the hub's operations meters produce, as Prometheus scrapes them. */
    private static Set<String> exportedSampleNames() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T09:00:00Z"));
        new IntakeMetrics(registry);
        new FeedFreshnessMonitor(new RawTopicFixture().consumer, RawTopicFixture.SERDE,
                FreshnessExpectations.from(HubConfig.defaultsOnly()), clock).bindTo(registry);
        // the admin client is not used until a refresh; the lag row is given by hand
        final BacklogMonitor backlog = new BacklogMonitor(null, List.of(BacklogMonitor.Watched.topologies()))
                .bindTo(registry);
        backlog.accept(new ConsumerLag("csp-hub-metrics", List.of(new ConsumerLag.PartitionLag("csp.raw.police-asb",
                0, 5, 7, 2))));
        new EndToEndLatencyMonitor(new MockConsumer<>("earliest"), clock).bindTo(registry);
        SinkActivity.bind(registry, "postgres", () -> 3, clock);
        // as the backlog monitor: no admin client until a refresh, the measurement given by hand
        new SinkLagMonitor(null, "postgres", List.of("csp.metrics.asb"), Optional::empty).bindTo(registry)
                .accept(new SinkLag("postgres", List.of(new ConsumerLag.PartitionLag("csp.metrics.asb", 0, 40, 42,
                        2))));
        final Set<String> names = new TreeSet<>();
        for (final String line : registry.scrape().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static List<JsonNode> allRules() {
        final List<JsonNode> all = new ArrayList<>();
        rules.get("groups").forEach(group -> group.get("rules").forEach(all::add));
        return all;
    }

    @Test
    void shouldExportTheMetricsTheRulesAreMeantFor() {
        assertThat(exported).contains("csphub_feed_stale", "csphub_consumer_lag", "csphub_feed_dead_letters",
                "csphub_feed_rows_accepted_total", "csphub_topology_end_to_end_latency_seconds_bucket",
                "csphub_monitor_refresh_failures_total", "csphub_sink_lag_records", "csphub_sink_lag_total_records",
                "csphub_sink_last_write_timestamp_seconds");
    }

    @Test
    void shouldNameOnlyMetricsTheHubExports() {
        final Set<String> named = new TreeSet<>();
        for (final JsonNode rule : allRules()) {
            final Matcher matcher = HUB_METRIC.matcher(rule.get("expr").asText());
            while (matcher.find()) {
                named.add(matcher.group());
            }
        }

        assertThat(named).isNotEmpty();
        assertThat(exported).containsAll(named);
    }

    @Test
    void shouldGiveEveryRuleAnExpressionOnAMetricASeverityAndASummary() {
        final List<JsonNode> all = allRules();
        assertThat(all).extracting(rule -> rule.get("alert").asText()).contains("CspHubFeedStale",
                "CspHubTopologyLagGrowing", "CspHubSinkFallingBehind", "CspHubDeadLettersRising",
                "CspHubProcessDown").doesNotHaveDuplicates();
        for (final JsonNode rule : all) {
            final String expr = rule.path("expr").asText();
            assertThat(HUB_METRIC.matcher(expr).find() || PROMETHEUS_OWN.stream().anyMatch(expr::contains))
                    .as("%s names a metric", rule.get("alert")).isTrue();
            assertThat(balanced(expr)).as("%s has balanced brackets", rule.get("alert")).isTrue();
            assertThat(rule.path("labels").path("severity").asText()).as("severity of %s", rule.get("alert"))
                    .isIn("info", "warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
            if (rule.has("for")) {
                assertThat(rule.get("for").asText()).matches(DURATION);
            }
        }
    }

    private static boolean balanced(final String expr) {
        final StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (final char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(c) >= 0) {
                open.append(c);
            } else if (!quoted && ")]}".indexOf(c) >= 0) {
                if (open.isEmpty() || "([{".indexOf(open.charAt(open.length() - 1)) != ")]}".indexOf(c)) {
                    return false;
                }
                open.setLength(open.length() - 1);
            }
        }
        return open.isEmpty() && !quoted;
    }
}
