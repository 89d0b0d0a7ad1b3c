package org.csphub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigTest {

    @Test
    void shouldWorkOutOfTheBoxWithTheEmbeddedStacksAddresses() {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), Map.of());

        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(config.dataDir()).isAbsolute();
        assertThat(config.origin(HubConfig.BOOTSTRAP_SERVERS)).isEqualTo("default");
    }

    @Test
    void shouldTakeTheFileThenTheEnvironmentThenTheCommandLine(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("hub.properties");
        Files.writeString(file, "kafka.bootstrap.servers=file:9092\nschema.registry.url=http://file\nhttp.port=9000\n");
        final Map<String, String> environment = Map.of(
                "CSP_HUB_SCHEMA_REGISTRY_URL", "http://env",
                "CSP_HUB_HTTP_PORT", "9100",
                "PATH", "/usr/bin");

        final HubConfig config = HubConfig.load(Optional.of(file), environment,
                Map.of(HubConfig.HTTP_PORT, "9200"));

        assertThat(config.bootstrapServers()).isEqualTo("file:9092");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://env");
        assertThat(config.getInt(HubConfig.HTTP_PORT)).isEqualTo(9200);
        assertThat(config.origin(HubConfig.BOOTSTRAP_SERVERS)).isEqualTo(file.toString());
        assertThat(config.origin(HubConfig.SCHEMA_REGISTRY_URL)).isEqualTo("environment CSP_HUB_SCHEMA_REGISTRY_URL");
    }

    @Test
    void shouldFindTheFileThroughTheEnvironment(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("hub.properties");
        Files.writeString(file, "csp.name=Somewhere\n");

        final HubConfig config = HubConfig.load(Optional.empty(), Map.of("CSP_HUB_CONFIG", file.toString()), Map.of());

        assertThat(config.get(HubConfig.CSP_NAME)).isEqualTo("Somewhere");
    }

    @Test
    void shouldPassEveryKafkaKeyToTheClients() {
        final HubConfig config = HubConfig.load(Optional.empty(),
                Map.of("CSP_HUB_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
                Map.of("kafka.sasl.mechanism", "SCRAM-SHA-512"));

        assertThat(config.kafkaClientProperties()).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void shouldMaskSecretsWhenDescribed() {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(),
                Map.of("kafka.sasl.jaas.config", "secret stuff", HubConfig.POSTGRES_PASSWORD, "pw"));

        assertThat(config.describe()).containsEntry("kafka.sasl.jaas.config", "******")
                .containsEntry(HubConfig.POSTGRES_PASSWORD, "******");
    }

    @Test
    void shouldShowWhereAKeystoreIsButNotItsPassword() {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(
                "CSP_HUB_EMBEDDED_KAFKA_SSL_KEYSTORE_LOCATION", "/etc/csp-hub/broker.p12",
                "CSP_HUB_EMBEDDED_KAFKA_SSL_KEYSTORE_PASSWORD", "changeit"),
                Map.of("kafka.ssl.truststore.location", "/etc/csp-hub/truststore.p12",
                        "kafka.ssl.truststore.password", "changeit"));

        assertThat(config.find(HubConfig.EMBEDDED_KEYSTORE_LOCATION)).contains("/etc/csp-hub/broker.p12");
        assertThat(config.describe())
                .containsEntry(HubConfig.EMBEDDED_KEYSTORE_LOCATION, "/etc/csp-hub/broker.p12")
                .containsEntry(HubConfig.EMBEDDED_KEYSTORE_TYPE, "PKCS12")
                .containsEntry(HubConfig.EMBEDDED_KEYSTORE_PASSWORD, "******")
                .containsEntry("kafka.ssl.truststore.location", "/etc/csp-hub/truststore.p12")
                .containsEntry("kafka.ssl.truststore.password", "******");
    }

    @Test
    void shouldNameTheOriginOfAValueThatIsNotANumber() {
        final HubConfig config = HubConfig.load(Optional.empty(), Map.of("CSP_HUB_HTTP_PORT", "eighty"), Map.of());

        assertThatThrownBy(() -> config.getInt(HubConfig.HTTP_PORT))
                .hasMessageContaining("http.port=eighty")
                .hasMessageContaining("environment CSP_HUB_HTTP_PORT");
    }

    @Test
    void shouldFindTheAccessFileInTheDataFolderUnlessConfigured(@TempDir final Path dir) {
        final Path data = dir.resolve("data");
        final Path elsewhere = dir.resolve("etc").resolve("access.yaml");

        assertThat(HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.DATA_DIR, data.toString()))
                .accessFile()).isEqualTo(data.resolve("access.yaml"));
        assertThat(HubConfig.load(Optional.empty(), Map.of("CSP_HUB_ACCESS_FILE", elsewhere.toString()),
                Map.of(HubConfig.DATA_DIR, data.toString())).accessFile()).isEqualTo(elsewhere);
        assertThat(HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.DATA_DIR, data.toString(),
                HubConfig.ACCESS_FILE, "security/access.yaml")).accessFile())
                .isEqualTo(data.resolve("security").resolve("access.yaml"));
    }

    @Test
    void shouldUseTheEmbeddedPostgresRunningOnTheDataFolderUnlessAUrlIsSet(@TempDir final Path dir) throws Exception {
        final Path data = dir.resolve("data");
        final Map<String, String> folder = Map.of(HubConfig.DATA_DIR, data.toString());
        final String local = "jdbc:postgresql://127.0.0.1:5432/test";

        assertThat(HubConfig.load(Optional.empty(), Map.of(), folder).postgresUrl()).as("nothing running").isEqualTo(local);

        Files.createDirectories(data.resolve("postgres"));
        Files.writeString(data.resolve("postgres").resolve("url"), "jdbc:postgresql://127.0.0.1:41234/postgres\n");
        final HubConfig unset = HubConfig.load(Optional.empty(), Map.of(), folder);
        assertThat(unset.isSet(HubConfig.POSTGRES_URL)).isFalse();
        assertThat(unset.postgresUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:41234/postgres");

        final HubConfig fromEnvironment = HubConfig.load(Optional.empty(),
                Map.of("CSP_HUB_POSTGRES_URL", "jdbc:postgresql://db.example/hub"), folder);
        assertThat(fromEnvironment.isSet(HubConfig.POSTGRES_URL)).isTrue();
        assertThat(fromEnvironment.postgresUrl()).isEqualTo("jdbc:postgresql://db.example/hub");

        assertThat(HubConfig.load(Optional.empty(), Map.of("CSP_HUB_POSTGRES_URL", " "), folder).postgresUrl())
                .as("a blank postgres.url").isEqualTo("jdbc:postgresql://127.0.0.1:41234/postgres");

        final Path file = dir.resolve("hub.properties");
        Files.writeString(file, "postgres.url=" + local + "\n");
        assertThat(HubConfig.load(Optional.of(file), Map.of(), folder).postgresUrl())
                .as("the default's value, set explicitly").isEqualTo(local);
    }
}
