package org.csphub.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.csphub.topics.Replication;

/**
 * The hub's configuration, in one place. Each value comes from the first of: an explicit override
 * (a command-line option), an environment variable ({@code CSP_HUB_} and the key in upper case with
 * dots and dashes as underscores, e.g. {@code CSP_HUB_KAFKA_BOOTSTRAP_SERVERS}), a properties file
 * (named by {@code --config} or {@code CSP_HUB_CONFIG}), and the defaults below, which run the
 * embedded stack on this machine out of the box.
 *
 * <p>Every key a client of Kafka should see goes under {@code kafka.}: {@code kafka.security.protocol},
 * {@code kafka.sasl.jaas.config} and the like reach every producer, consumer, admin client and
 * topology of every command alike.
 */
public final class HubConfig {

    public static final String KAFKA_PREFIX = "kafka.";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_BASIC_AUTH = "schema.registry.basic.auth.user.info";
    public static final String DATA_DIR = "data.dir";
    /**
     * The access file: agencies (feeds, principals, intake token hashes) and the other roles, read by the
     * HTTP intake, {@code hub acl} and {@code hub stack --secure}; blank means {@code <data.dir>/access.yaml}.
     */
    public static final String ACCESS_FILE = "access.file";
    /**
     * The partnership's own feeds: a folder of feed contracts ({@code <slug>.yaml}) the hub runs besides the
     * ones it ships; blank means the shipped feeds alone.
     */
    public static final String FEEDS_DIR = "feeds.dir";
    public static final String HTTP_PORT = "http.port";
    /** The address the HTTP server binds to; loopback unless the hub is meant to be reached from elsewhere. */
    public static final String HTTP_HOST = "http.host";
    public static final String KAFKA_PORT = "embedded.kafka.port";
    public static final String REGISTRY_PORT = "embedded.registry.port";
    /**
     * The embedded broker's keystore (its private key and certificate); when set, {@code hub stack --secure}
     * puts TLS on the client listener (SASL_SSL). Blank means no TLS.
     */
    public static final String EMBEDDED_KEYSTORE_LOCATION = "embedded.kafka.ssl.keystore.location";
    public static final String EMBEDDED_KEYSTORE_TYPE = "embedded.kafka.ssl.keystore.type";
    public static final String EMBEDDED_KEYSTORE_PASSWORD = "embedded.kafka.ssl.keystore.password";
    /** The private key's password; blank means the keystore's password. */
    public static final String EMBEDDED_KEY_PASSWORD = "embedded.kafka.ssl.key.password";
    /**
     * The truststore that trusts the embedded broker's certificate: the stack's own clients use it, and it is
     * written into each generated credentials file. Blank means the JDK's default trust.
     */
    public static final String EMBEDDED_TRUSTSTORE_LOCATION = "embedded.kafka.ssl.truststore.location";
    public static final String EMBEDDED_TRUSTSTORE_TYPE = "embedded.kafka.ssl.truststore.type";
    public static final String EMBEDDED_TRUSTSTORE_PASSWORD = "embedded.kafka.ssl.truststore.password";
    public static final String CSP_CODE = "csp.code";
    public static final String CSP_NAME = "csp.name";
    public static final String TOPIC_PARTITIONS = "topics.partitions";
    public static final String TOPIC_REPLICATION = "topics.replication.factor";
    public static final String DISCLOSURE_THRESHOLD = "disclosure.threshold";
    /**
     * The PostgreSQL the sink writes to. When it is not set (file, environment, command line), the demo and
     * {@code hub stack --postgres} start an embedded server in the data folder, and the other commands use the
     * one running there (see {@link #postgresUrl()}); the default below is for when none runs.
     */
    public static final String POSTGRES_URL = "postgres.url";
    /**
     * The embedded PostgreSQL's port; 0 means the port of its previous start on the data folder when that is
     * free, else any free port.
     */
    public static final String POSTGRES_PORT = "postgres.port";
    public static final String POSTGRES_USER = "postgres.user";
    public static final String POSTGRES_PASSWORD = "postgres.password";
    /** The schema the PostgreSQL sink keeps its tables in (created by its migrations). */
    public static final String POSTGRES_SCHEMA = "postgres.schema";
    /** The IDVA adapter's key for the keyed hash (HMAC-SHA256) of client references; the adapter refuses to start without it. */
    public static final String IDVA_CLIENT_KEY = "idva.client.key";
    /** Columns the intake drops instead of refusing the file: comma-separated {@code column} (any feed) or {@code feed:column}. */
    public static final String INTAKE_IGNORED_COLUMNS = "intake.ignored.columns";
    /** How many rejected rows an intake summary lists with their reasons. */
    public static final String INTAKE_SUMMARY_REJECTIONS = "intake.summary.rejections";
    /** The largest body the HTTP intake accepts, in bytes (413 above it). */
    public static final String INTAKE_HTTP_MAX_BYTES = "intake.http.max.bytes";
    /** Requests an agency may send the HTTP intake per minute, in bursts of up to as many (429 above it). */
    public static final String INTAKE_HTTP_RATE_PER_MINUTE = "intake.http.rate.per.minute";
    /** How often {@code hub watch} looks for new files, in milliseconds. */
    public static final String INTAKE_WATCH_INTERVAL_MS = "intake.watch.interval.ms";

    /**
     * How long a feed may go without a new record before it counts as stale (ISO-8601 durations, e.g. P1D);
     * unset, the feed contract's {@code freshness}.
     */
    public static final String FRESHNESS_POLICE_ASB = "freshness.police-asb";
    public static final String FRESHNESS_AMBULANCE_CALLOUTS = "freshness.ambulance-callouts";
    public static final String FRESHNESS_IDVA_REFERRALS = "freshness.idva-referrals";
    public static final String FRESHNESS_FIRE_INCIDENTS = "freshness.fire-incidents";
    /** The consumer lag (records, summed over partitions) above which {@code hub status} reports a topology as behind. */
    public static final String OPERATIONS_LAG_THRESHOLD = "operations.lag.threshold";
    /** How far back {@code hub status} looks for new dead letters (ISO-8601 duration). */
    public static final String OPERATIONS_DEAD_LETTER_WINDOW = "operations.dead.letter.window";
    /** How often the freshness and lag monitors of a long-running process refresh (ISO-8601 duration). */
    public static final String OPERATIONS_MONITOR_INTERVAL = "operations.monitor.interval";

    /** The environment variable naming a properties file. */
    public static final String CONFIG_FILE_VARIABLE = "CSP_HUB_CONFIG";
    private static final String ENV_PREFIX = "CSP_HUB_";

    private static final Map<String, String> DEFAULTS = defaults();

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private HubConfig(final Map<String, String> values, final Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(values);
        this.origins = Collections.unmodifiableMap(origins);
    }

    private static Map<String, String> defaults() {
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        defaults.put(SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7");
        defaults.put(DATA_DIR, "csp-hub-data");
        defaults.put(ACCESS_FILE, "");
        defaults.put(FEEDS_DIR, "");
        defaults.put(HTTP_PORT, "8080");
        defaults.put(HTTP_HOST, "127.0.0.1");
        defaults.put(KAFKA_PORT, "9092");
        defaults.put(REGISTRY_PORT, "8081");
        defaults.put(EMBEDDED_KEYSTORE_LOCATION, "");
        defaults.put(EMBEDDED_KEYSTORE_TYPE, "PKCS12");
        defaults.put(EMBEDDED_KEYSTORE_PASSWORD, "");
        defaults.put(EMBEDDED_KEY_PASSWORD, "");
        defaults.put(EMBEDDED_TRUSTSTORE_LOCATION, "");
        defaults.put(EMBEDDED_TRUSTSTORE_TYPE, "PKCS12");
        defaults.put(EMBEDDED_TRUSTSTORE_PASSWORD, "");
        defaults.put(CSP_CODE, "cambridgeshire-and-peterborough");
        defaults.put(CSP_NAME, "Cambridgeshire and Peterborough");
        defaults.put(TOPIC_PARTITIONS, "3");
        defaults.put(TOPIC_REPLICATION, Short.toString(Replication.FOLLOW_CLUSTER));
        defaults.put(DISCLOSURE_THRESHOLD, "5");
        defaults.put(POSTGRES_URL, "jdbc:postgresql://127.0.0.1:5432/test");
        defaults.put(POSTGRES_PORT, "0");
        defaults.put(POSTGRES_USER, "postgres");
        defaults.put(POSTGRES_PASSWORD, "");
        defaults.put(POSTGRES_SCHEMA, "csp_hub");
        defaults.put(IDVA_CLIENT_KEY, "");
        defaults.put(INTAKE_IGNORED_COLUMNS, "");
        defaults.put(INTAKE_SUMMARY_REJECTIONS, "20");
        defaults.put(INTAKE_HTTP_MAX_BYTES, "16777216");
        defaults.put(INTAKE_HTTP_RATE_PER_MINUTE, "60");
        defaults.put(INTAKE_WATCH_INTERVAL_MS, "1000");
        defaults.put(OPERATIONS_LAG_THRESHOLD, "1000");
        defaults.put(OPERATIONS_DEAD_LETTER_WINDOW, "PT1H");
        defaults.put(OPERATIONS_MONITOR_INTERVAL, "PT30S");
        return Collections.unmodifiableMap(defaults);
    }

    /** The defaults alone. */
    public static HubConfig defaultsOnly() {
        return load(Optional.empty(), Map.of(), Map.of());
    }

    /** Configuration from this process's environment, an optional file, and overrides. */
    public static HubConfig load(final Optional<Path> file, final Map<String, String> overrides) {
        return load(file, System.getenv(), overrides);
    }

    /** Configuration from the given environment (for tests), an optional file, and overrides. */
    public static HubConfig load(final Optional<Path> file, final Map<String, String> environment,
            final Map<String, String> overrides) {
        final Map<String, String> values = new TreeMap<>(DEFAULTS);
        final Map<String, String> origins = new TreeMap<>();
        DEFAULTS.keySet().forEach(key -> origins.put(key, "default"));
        final Optional<Path> configFile = file.or(() -> Optional.ofNullable(environment.get(CONFIG_FILE_VARIABLE))
                .filter(value -> !value.isBlank()).map(Path::of));
        configFile.ifPresent(path -> readFile(path).forEach((key, value) -> {
            values.put(key, value);
            origins.put(key, path.toString());
        }));
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_FILE_VARIABLE)) {
                final String key = keyOf(name, values);
                values.put(key, value);
                origins.put(key, "environment " + name);
            }
        });
        overrides.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value);
                origins.put(key, "command line");
            }
        });
        return new HubConfig(values, origins);
    }

    /** The environment variable that sets {@code key}. */
    public static String environmentVariable(final String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String keyOf(final String variable, final Map<String, String> known) {
        for (final String key : known.keySet()) {
            if (environmentVariable(key).equals(variable)) {
                return key;
            }
        }
        // an unknown key: dots are the usual separator (CSP_HUB_KAFKA_SASL_MECHANISM -> kafka.sasl.mechanism)
        return variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static Map<String, String> readFile(final Path path) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the configuration file " + path.toAbsolutePath(), e);
        }
        final Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key.trim(), properties.getProperty(key).trim()));
        return values;
    }

    public String get(final String key) {
        final String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("No configuration value for '" + key + "'; set it in the "
                    + "configuration file or as " + environmentVariable(key));
        }
        return value;
    }

    public Optional<String> find(final String key) {
        return Optional.ofNullable(values.get(key)).filter(value -> !value.isBlank());
    }

    public int getInt(final String key) {
        final String value = get(key);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The configuration value " + key + "=" + value + " (from "
                    + origins.get(key) + ") is not a whole number", e);
        }
    }

    /** The data folder, absolute: a relative setting is taken against the folder the hub was started in. */
    public Path dataDir() {
        return Path.of(get(DATA_DIR)).toAbsolutePath().normalize();
    }

    /** The access file, absolute: {@code access.file} (a relative one in the data folder), else {@code <data.dir>/access.yaml}. */
    public Path accessFile() {
        return dataDir().resolve(find(ACCESS_FILE).orElse("access.yaml").trim()).normalize();
    }

    /** The folder of the partnership's own feed contracts, absolute, when {@code feeds.dir} is set. */
    public Optional<Path> feedsDir() {
        return find(FEEDS_DIR).map(dir -> Path.of(dir.trim()).toAbsolutePath().normalize());
    }

    public String bootstrapServers() {
        return get(BOOTSTRAP_SERVERS);
    }

    public String schemaRegistryUrl() {
        return get(SCHEMA_REGISTRY_URL);
    }

    /** Whether {@code key} was given a value (file, environment, command line or an override), not left at its default. */
    public boolean isSet(final String key) {
        return find(key).isPresent() && !"default".equals(origin(key));
    }

    /**
     * Where an embedded PostgreSQL running on the data folder leaves its JDBC URL (the embedded module writes
     * it there while the server runs).
     */
    public Path embeddedPostgresUrlFile() {
        return dataDir().resolve("postgres").resolve("url");
    }

    /**
     * The PostgreSQL to use: {@code postgres.url} when it is set; else the embedded server running on the data
     * folder, when one is; else the default.
     */
    public String postgresUrl() {
        if (isSet(POSTGRES_URL)) {
            return get(POSTGRES_URL).trim();
        }
        final Path file = embeddedPostgresUrlFile();
        try {
            if (Files.isRegularFile(file)) {
                final String url = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!url.isEmpty()) {
                    return url;
                }
            }
        } catch (IOException e) {
            // unreadable: as if no embedded server ran
        }
        return DEFAULTS.get(POSTGRES_URL);
    }

    /** Where a value came from: {@code default}, a file, an environment variable or the command line. */
    public String origin(final String key) {
        return origins.getOrDefault(key, "unset");
    }

    /** Every {@code kafka.*} value without its prefix: the common properties of every Kafka client. */
    public Map<String, Object> kafkaClientProperties() {
        final Map<String, Object> properties = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PREFIX)) {
                properties.put(key.substring(KAFKA_PREFIX.length()), value);
            }
        });
        return properties;
    }

    /** The serde's configuration: the registry's URL and credentials. */
    public Map<String, Object> serdeProperties() {
        final Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("schema.registry.url", schemaRegistryUrl());
        find(SCHEMA_REGISTRY_BASIC_AUTH).ifPresent(value -> properties.put("basic.auth.user.info", value));
        return properties;
    }

    /** A copy with more overrides on top. */
    public HubConfig with(final Map<String, String> overrides) {
        final Map<String, String> copy = new TreeMap<>(values);
        final Map<String, String> copyOrigins = new TreeMap<>(origins);
        overrides.forEach((key, value) -> {
            copy.put(key, value);
            copyOrigins.put(key, "override");
        });
        return new HubConfig(copy, copyOrigins);
    }

    /** Every key and value, secrets masked, for display. */
    public Map<String, String> describe() {
        final Map<String, String> shown = new TreeMap<>();
        values.forEach((key, value) -> shown.put(key, isSecret(key) && !value.isEmpty() ? "******" : value));
        return shown;
    }

    private static boolean isSecret(final String key) {
        final String lower = key.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".location") || lower.endsWith(".type")) {
            return false; // a keystore's file and format, not its secrets
        }
        return lower.contains("password") || lower.contains("secret") || lower.contains("jaas")
                || lower.contains("user.info") || lower.contains("key");
    }
}
