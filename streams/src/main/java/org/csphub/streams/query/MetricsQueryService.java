package org.csphub.streams.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.csphub.access.Audience;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.MetricColumns;
import org.csphub.metrics.PeriodType;
import org.csphub.streams.publish.DisclosurePublisher;
import org.csphub.streams.series.SeriesTopology;
import org.csphub.topics.FeedCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/metrics}: metric values as JSON, answered from the stores of the running
 * application in the view of the caller's audience ({@link ReaderTokens}): without a token, or with a
 * public reader's, the published figures (after disclosure control) from the publisher's published
 * store; with a partner's token, the full figures from the publisher's store of the metric topic's
 * latest values, which sits beside it in the same task; with an unknown token, 401. Each period type
 * lives in one partition of both of a family's stores, so a question is split by period type (the
 * one it names, or all four) and each part goes to the instance that actively owns that partition,
 * which answers it on {@code GET /api/v1/metrics/local} from that partition alone: every period type
 * is answered once, by its owner. An instance asked for a partition it does not own (the
 * assignment moved since the asker looked) refuses with 503, so a rebalance never yields a partial
 * answer; while an owner is unknown or refuses, the answer is 503 (ask again), and when an instance
 * fails otherwise, 502 naming it.
 */
public final class MetricsQueryService {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsQueryService.class);
    public static final String PATH = "/api/v1/metrics";
    public static final String LOCAL_PATH = "/api/v1/metrics/local";
    private static final Comparator<Map<String, Object>> ORDER = Comparator
            .comparing((Map<String, Object> row) -> String.valueOf(row.get("area_type")))
            .thenComparing(row -> String.valueOf(row.get("area_code")))
            .thenComparing(row -> String.valueOf(row.get("dimension")))
            .thenComparing(row -> String.valueOf(row.get("dimension_value")))
            .thenComparing(row -> String.valueOf(row.get("period_type")))
            .thenComparing(row -> MetricQuery.sortable(String.valueOf(row.get("period"))));

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Set<String> families;
    private final ReaderTokens readers;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * The queries of the shipped feeds' families over {@code streams}, which this process reaches at
     * {@code self} (its {@code application.server}); no reader has a token, so every answer is public.
     */
    public MetricsQueryService(final KafkaStreams streams, final HostInfo self) {
        this(streams, self, FeedCatalog.shipped(), ReaderTokens.none());
    }

    /** The queries of the families of {@code catalog}'s feeds, each caller answered in its audience's view. */
    public MetricsQueryService(final KafkaStreams streams, final HostInfo self, final FeedCatalog catalog,
            final ReaderTokens readers) {
        this.streams = streams;
        this.readers = readers;
        this.self = self;
        this.families = catalog.contracts().stream().map(contract -> contract.family().name())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public void addRoutes(final Javalin app) {
        app.get(PATH, this::answer);
        app.get(LOCAL_PATH, this::answerLocally);
    }

    private void answer(final Context context) throws InterruptedException {
        final Audience audience = audience(context);
        if (audience == null) {
            return;
        }
        final MetricQuery query = query(context);
        if (query == null) {
            return;
        }
        final List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (final PeriodType type : query.periodType().map(List::of).orElse(List.of(PeriodType.values()))) {
                final MetricQuery part = query.withPeriodType(type);
                final KeyQueryMetadata owner = owner(part, audience);
                rows.addAll(owner.activeHost().equals(self) ? local(part, owner.partition(), audience)
                        : remote(owner.activeHost(), part, context.header(Header.AUTHORIZATION)));
            }
        } catch (InvalidStateStoreException e) {
            unavailable(context, e.getMessage());
            return;
        } catch (PeerFailure e) {
            context.status(HttpStatus.BAD_GATEWAY).json(Map.of("error", e.getMessage()));
            return;
        }
        rows.sort(ORDER);
        context.json(body(query, audience, rows));
    }

    /**
     * The audience of the caller, or null when it was refused (401): a partner's view must not be had by
     * guessing, and a wrong token is a mistake its sender should hear of rather than get the public view.
     */
    private Audience audience(final Context context) {
        try {
            return readers.audienceOf(context.header(Header.AUTHORIZATION));
        } catch (ReaderTokens.UnknownCaller e) {
            LOG.warn("Query API answered 401: remote={}, reason={}", context.req().getRemoteAddr(), e.getMessage());
            context.header(Header.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            context.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", e.getMessage()));
            return null;
        }
    }

    /** The store an audience's view is read from: the metric topic's latest values for a partner, else the published. */
    static String storeFor(final String family, final Audience audience) {
        return audience.seesFullFigures() ? SeriesTopology.metricStore(family) : SeriesTopology.publishedStore(family);
    }

    /** Where a query's period type lives: its partition of the audience's store, and that partition's active owner. */
    private KeyQueryMetadata owner(final MetricQuery query, final Audience audience) {
        final String store = storeFor(query.family(), audience);
        final PeriodType type = query.periodType().orElseThrow();
        final StreamPartitioner<String, AreaMetric> partitioner = (topic, key, value, partitions) ->
                Optional.of(Set.of(SeriesTopology.partitionOf(type, partitions)));
        final KeyQueryMetadata owner = streams.queryMetadataForKey(store, DisclosurePublisher.periodTypePrefix(type),
                partitioner);
        if (owner == null || owner.activeHost() == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw new InvalidStateStoreException("the store " + store
                    + " has no owner yet (the application is starting or rebalancing)");
        }
        return owner;
    }

    private void answerLocally(final Context context) {
        final Audience audience = audience(context);
        if (audience == null) {
            return;
        }
        final MetricQuery query = query(context);
        if (query == null) {
            return;
        }
        if (query.periodType().isEmpty()) {
            context.status(HttpStatus.BAD_REQUEST).json(Map.of("error",
                    "'period_type' is required here: each instance answers for the period types it owns"));
            return;
        }
        try {
            context.json(body(query, audience, local(query, owner(query, audience).partition(), audience)));
        } catch (InvalidStateStoreException e) {
            unavailable(context, e.getMessage());
        }
    }

    private MetricQuery query(final Context context) {
        try {
            final MetricQuery query = MetricQuery.of(context::queryParam);
            if (!families.contains(query.family())) {
                throw new IllegalArgumentException("Unknown metric family '" + query.family() + "'; the families are "
                        + families);
            }
            return query;
        } catch (IllegalArgumentException e) {
            context.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage()));
            return null;
        }
    }

    /**
     * The rows of one period type, from this instance's partition of the store that holds it; an
     * {@link InvalidStateStoreException} when this instance is not (or no longer) its active owner.
     */
    private List<Map<String, Object>> local(final MetricQuery query, final int partition, final Audience audience) {
        final ReadOnlyKeyValueStore<String, AreaMetric> store = streams.store(StoreQueryParameters.fromNameAndType(
                storeFor(query.family(), audience), QueryableStoreTypes.<String, AreaMetric>keyValueStore())
                .withPartition(partition));
        final List<Map<String, Object>> rows = new ArrayList<>();
        try (KeyValueIterator<String, AreaMetric> values = store.prefixScan(
                DisclosurePublisher.periodTypePrefix(query.periodType().orElseThrow()), new StringSerializer())) {
            values.forEachRemaining(entry -> {
                if (query.matches(entry.value)) {
                    rows.add(row(entry.value));
                }
            });
        }
        return rows;
    }

    /**
     * Asks the owner of a period type for its part, with the caller's own credential: the owner works out
     * the audience itself, so no instance takes another's word for what a caller may see.
     */
    private List<Map<String, Object>> remote(final HostInfo host, final MetricQuery query, final String authorization)
            throws InterruptedException {
        final URI uri = URI.create("http://" + host.host() + ":" + host.port() + LOCAL_PATH + "?" + query.queryString());
        LOG.debug("Asking {} for {}", host, query);
        final Map<String, Object> body;
        try {
            final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
            if (authorization != null) {
                request.header(Header.AUTHORIZATION, authorization);
            }
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
                // it no longer owns the partition, or is starting: the assignment is moving
                throw new InvalidStateStoreException("the instance at " + host + " cannot answer for "
                        + query.periodType().orElseThrow() + " yet: " + response.body());
            }
            if (response.statusCode() != HttpStatus.OK.getCode()) {
                throw new PeerFailure("the instance at " + host + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            body = json.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            // an instance that cannot be reached is on its way out of the group; a rebalance moves its part
            throw new InvalidStateStoreException("the instance at " + host + " could not be asked: " + e);
        }
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> rows = (List<Map<String, Object>>) body.get("rows");
        return rows;
    }

    /** Another instance answered a part of a question with an error other than "not yet". */
    private static final class PeerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PeerFailure(final String message) {
            super(message);
        }
    }

    private static Map<String, Object> body(final MetricQuery query, final Audience audience,
            final List<Map<String, Object>> rows) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("metric", query.metric());
        // the view the figures are in: published (after disclosure control) for the public, full for a partner
        body.put("audience", audience.label());
        body.put("count", rows.size());
        body.put("rows", rows);
        return body;
    }

    /** A metric value as a JSON object with the field names of the AreaMetric schema. */
    public static Map<String, Object> row(final AreaMetric metric) {
        final Map<String, Object> row = MetricColumns.of(metric);
        row.computeIfPresent("updated_at", (column, value) -> value.toString());
        return row;
    }

    private static void unavailable(final Context context, final String reason) {
        context.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "Metrics are not available yet: " + reason));
    }
}
