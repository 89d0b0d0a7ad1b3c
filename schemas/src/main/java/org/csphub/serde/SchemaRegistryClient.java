package org.csphub.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.common.utils.ExponentialBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Confluent Schema Registry REST API (served as well by Apicurio Registry's
 * {@code /apis/ccompat/v7}, Karapace and Redpanda). Ids are cached both ways, so after the first
 * record of a schema the serde's hot path makes no HTTP call.
 */
public final class SchemaRegistryClient implements SchemaRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the registry is and how to reach it: each request's {@code timeout}, and how long a lookup of a
     * schema by id ({@code lookupRetry}) asks again while the registry cannot be reached or answers with a
     * server error.
     */
    public record Settings(String url, Optional<String> basicAuthUserInfo, Duration timeout, Duration lookupRetry) {

        /**
         * How long a reader waits for a registry that is away before the record it reads fails: a restart of
         * the registry takes about 20 s, and a Kafka consumer must poll again within five minutes.
         */
        public static final Duration LOOKUP_RETRY = Duration.ofMinutes(2);

        public Settings {
            url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        /** Settings whose lookups fail at once when the registry cannot be reached. */
        public Settings(final String url, final Optional<String> basicAuthUserInfo, final Duration timeout) {
            this(url, basicAuthUserInfo, timeout, Duration.ZERO);
        }

        public static Settings of(final String url) {
            return new Settings(url, Optional.empty(), Duration.ofSeconds(10));
        }
    }

    /** The answer of a compatibility check. */
    public record Compatibility(boolean compatible, List<String> messages) {
    }

    /** A schema as registered under a subject. */
    public record Registered(String subject, int id, int version) {
    }

    private final Settings settings;
    private final HttpClient http;
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public SchemaRegistryClient(final Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    public String url() {
        return settings.url();
    }

    @Override
    public int register(final String subject, final Schema schema) {
        return idsBySubjectAndSchema.computeIfAbsent(cacheKey(subject, schema), key -> {
            final ObjectNode body = JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO");
            final JsonNode answer = send("register a schema under subject '" + subject + "'", "POST",
                    "/subjects/" + encode(subject) + "/versions", body);
            final int id = answer.path("id").asInt(-1);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public int idOf(final String subject, final Schema schema) {
        return idsBySubjectAndSchema.computeIfAbsent(cacheKey(subject, schema), key -> {
            final Registered registered = lookup(subject, schema).orElseThrow(() -> new SchemaRegistryException(
                    "Schema " + schema.getFullName() + " is not registered under subject '" + subject + "' at "
                            + settings.url() + ", and registering it is switched off", 404, 40403));
            schemasById.putIfAbsent(registered.id(), schema);
            return registered.id();
        });
    }

    /**
     * The schema with this id. While the registry cannot be reached or answers with a server error, asks
     * again, backing off, for {@link Settings#lookupRetry()}: a record read during a registry's restart waits
     * for it rather than failing (and going to a dead-letter topic) although nothing is wrong with it.
     */
    @Override
    public Schema schemaById(final int id) {
        final Schema known = schemasById.get(id);
        if (known != null) {
            return known;
        }
        final String what = "look up schema id " + id;
        final long deadline = System.nanoTime() + settings.lookupRetry().toNanos();
        final ExponentialBackoff backoff = new ExponentialBackoff(100, 2, 5_000, 0.2);
        for (int attempt = 0; ; attempt++) {
            try {
                final Schema schema = parseAvro(id, send(what, "GET", "/schemas/ids/" + id, null));
                schemasById.put(id, schema);
                return schema;
            } catch (SchemaRegistryException e) {
                final long wait = backoff.backoff(attempt);
                if (!e.isTransient() || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait) > deadline) {
                    throw e;
                }
                LOG.warn("{}; trying again in {} ms", e.getMessage(), wait);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SchemaRegistryException("Interrupted while trying to " + what + " at "
                            + settings.url(), interrupted);
                }
            }
        }
    }

    private Schema parseAvro(final int id, final JsonNode answer) {
        final String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException("Schema id " + id + " at " + settings.url() + " is a " + type
                    + " schema, not Avro", 200, 0);
        }
        return new Schema.Parser().parse(answer.path("schema").asText());
    }

    /** The id and version {@code schema} has under {@code subject}, if it is registered there. */
    public Optional<Registered> lookup(final String subject, final Schema schema) {
        final ObjectNode body = JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO");
        try {
            final JsonNode answer = send("look up a schema under subject '" + subject + "'", "POST",
                    "/subjects/" + encode(subject), body);
            return Optional.of(new Registered(subject, answer.path("id").asInt(), answer.path("version").asInt()));
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The latest version registered under {@code subject} and its schema, if the subject has one. */
    public Optional<Latest> latest(final String subject) {
        try {
            final JsonNode answer = send("read the latest version of subject '" + subject + "'", "GET",
                    "/subjects/" + encode(subject) + "/versions/latest", null);
            return Optional.of(new Latest(answer.path("version").asInt(),
                    new Schema.Parser().parse(answer.path("schema").asText())));
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A subject's latest version and its schema. */
    public record Latest(int version, Schema schema) {
    }

    /** Whether {@code schema} may be registered as the next version of {@code subject}. */
    public Compatibility checkCompatibility(final String subject, final Schema schema) {
        final ObjectNode body = JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO");
        try {
            final JsonNode answer = send("check compatibility under subject '" + subject + "'", "POST",
                    "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true", body);
            final List<String> messages = new ArrayList<>();
            answer.path("messages").forEach(message -> messages.add(message.asText()));
            return new Compatibility(answer.path("is_compatible").asBoolean(false), messages);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return new Compatibility(true, List.of("subject '" + subject + "' has no version yet"));
            }
            throw e;
        }
    }

    /** Sets the compatibility rule of one subject (BACKWARD, FORWARD, FULL, NONE, with _TRANSITIVE). */
    public void setCompatibility(final String subject, final String level) {
        send("set compatibility of subject '" + subject + "' to " + level, "PUT", "/config/" + encode(subject),
                JSON.createObjectNode().put("compatibility", level));
    }

    /** The compatibility rule in force for one subject (its own, or the registry's default). */
    public String compatibility(final String subject) {
        try {
            return send("read the compatibility of subject '" + subject + "'", "GET",
                    "/config/" + encode(subject) + "?defaultToGlobal=true", null)
                    .path("compatibilityLevel").asText();
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return send("read the registry's default compatibility", "GET", "/config", null)
                        .path("compatibilityLevel").asText();
            }
            throw e;
        }
    }

    public List<String> subjects() {
        final List<String> subjects = new ArrayList<>();
        send("list subjects", "GET", "/subjects", null).forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    public List<Integer> versions(final String subject) {
        final List<Integer> versions = new ArrayList<>();
        send("list the versions of subject '" + subject + "'", "GET", "/subjects/" + encode(subject) + "/versions",
                null).forEach(version -> versions.add(version.asInt()));
        return versions;
    }

    private JsonNode send(final String what, final String method, final String path, final JsonNode body) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(settings.timeout())
                .header("Accept", CONTENT_TYPE + ", application/json");
        settings.basicAuthUserInfo().ifPresent(userInfo -> request.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        final HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new SchemaRegistryException("The schema registry at " + settings.url()
                    + " is unreachable (connection refused) while trying to " + what, e);
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException("The schema registry at " + settings.url() + " did not answer within "
                    + settings.timeout().toSeconds() + " s while trying to " + what, e);
        } catch (IOException e) {
            throw new SchemaRegistryException("The schema registry at " + settings.url()
                    + " is unreachable while trying to " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while trying to " + what + " at " + settings.url(), e);
        }
        final JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            final int code = answer.path("error_code").asInt(response.statusCode());
            final String message = answer.path("message").asText(response.body());
            throw new SchemaRegistryException("The schema registry at " + settings.url() + " refused to " + what
                    + ": HTTP " + response.statusCode() + ", error " + code + ": " + message,
                    response.statusCode(), code);
        }
        return answer;
    }

    private static JsonNode parse(final String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    private static String cacheKey(final String subject, final Schema schema) {
        return subject + '\u0000' + schema.toString();
    }

    private static String encode(final String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
