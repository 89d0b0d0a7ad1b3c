package org.csphub.hub;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.csphub.config.HubConfig;
import picocli.CommandLine.Option;

/** The options every command that talks to Kafka takes; they override the configuration file and environment. */
public final class ConnectionOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file of hub settings (default: $CSP_HUB_CONFIG, then built-in defaults).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka's bootstrap servers (default: 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL",
            description = "The Confluent-compatible schema registry's URL (default: http://127.0.0.1:8081/apis/ccompat/v7).")
    String schemaRegistry;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the hub keeps its state (default: ./csp-hub-data).")
    Path dataDir;

    @Option(names = "--feeds-dir", paramLabel = "DIR",
            description = "A folder of the partnership's own feed contracts (<slug>.yaml), run besides the shipped "
                    + "feeds (default: feeds.dir, none).")
    Path feedsDir;

    /** The configuration these options point at, with the options on top. */
    public HubConfig config() {
        return config(Map.of());
    }

    public HubConfig config(final Map<String, String> more) {
        final Map<String, String> overrides = new LinkedHashMap<>(more);
        if (bootstrapServers != null) {
            overrides.put(HubConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (schemaRegistry != null) {
            overrides.put(HubConfig.SCHEMA_REGISTRY_URL, schemaRegistry);
        }
        if (dataDir != null) {
            overrides.put(HubConfig.DATA_DIR, dataDir.toString());
        }
        if (feedsDir != null) {
            overrides.put(HubConfig.FEEDS_DIR, feedsDir.toString());
        }
        return HubConfig.load(Optional.ofNullable(configFile), overrides);
    }
}
