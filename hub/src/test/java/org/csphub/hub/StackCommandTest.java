package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.csphub.embedded.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hub stack}'s TLS settings are checked before anything starts or any credential is written. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StackCommandTest {

    @TempDir
    static Path folder;

    private static TestCertificates broker;
    private static TestCertificates stranger;

    @BeforeAll
    static void makeCertificates() throws Exception {
        broker = TestCertificates.selfSigned(folder.resolve("broker"), TestCertificates.LOOPBACK_NAMES);
        stranger = TestCertificates.selfSigned(folder.resolve("stranger"), TestCertificates.LOOPBACK_NAMES);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run hub(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void shouldRefuseAKeystoreOptionWithoutSecure(@TempDir final Path dataDir) {
        final Run run = hub("stack", "--keystore", broker.keystore().toString(), "--data-dir", dataDir.toString(),
                "--kafka-port", "0", "--registry-port", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("apply to a secure stack; add --secure");
        assertThat(run.out()).doesNotContain("Starting");
    }

    @Test
    void shouldRefuseAConfiguredKeystoreWithoutSecureNamingWhereItIsSet(@TempDir final Path dataDir)
            throws Exception {
        final Path config = dataDir.resolve("hub.properties");
        Files.writeString(config, "embedded.kafka.ssl.keystore.location=" + broker.keystore() + "\n");

        final Run run = hub("stack", "--config", config.toString(), "--data-dir", dataDir.toString(),
                "--kafka-port", "0", "--registry-port", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("embedded.kafka.ssl.keystore.location, from " + config)
                .contains("add --secure");
        assertThat(run.out()).doesNotContain("Starting");
    }

    @Test
    void shouldAskForTheKeystorePasswordBeforeWritingCredentials(@TempDir final Path dataDir) {
        final Run run = hub("stack", "--secure", "--keystore", broker.keystore().toString(),
                "--truststore", broker.truststore().toString(), "--data-dir", dataDir.toString(),
                "--kafka-port", "0", "--registry-port", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("needs its password")
                .contains("embedded.kafka.ssl.keystore.password", "CSP_HUB_EMBEDDED_KAFKA_SSL_KEYSTORE_PASSWORD");
        assertThat(dataDir.resolve("credentials")).doesNotExist();
    }

    @Test
    void shouldRefuseACertificateTheTruststoreDoesNotTrustBeforeWritingCredentials(@TempDir final Path dataDir)
            throws Exception {
        final Path config = dataDir.resolve("hub.properties");
        Files.writeString(config, String.join("\n",
                "embedded.kafka.ssl.keystore.password=" + broker.keystorePassword(),
                "embedded.kafka.ssl.truststore.password=" + stranger.truststorePassword(), ""));

        final Run run = hub("stack", "--secure", "--config", config.toString(),
                "--keystore", broker.keystore().toString(), "--truststore", stranger.truststore().toString(),
                "--data-dir", dataDir.toString(), "--kafka-port", "0", "--registry-port", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("is not trusted by the truststore " + stranger.truststore());
        assertThat(dataDir.resolve("credentials")).doesNotExist();
    }

    @Test
    void shouldTakeARelativeConfiguredKeystoreInTheDataFolder(@TempDir final Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("tls"));
        Files.copy(broker.keystore(), dataDir.resolve("tls").resolve("broker.p12"));
        final Path config = dataDir.resolve("hub.properties");
        Files.writeString(config, String.join("\n",
                "embedded.kafka.ssl.keystore.location=tls/broker.p12",
                "embedded.kafka.ssl.keystore.password=not-the-password", ""));

        final Run run = hub("stack", "--secure", "--config", config.toString(), "--data-dir", dataDir.toString(),
                "--kafka-port", "0", "--registry-port", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("Cannot open the keystore " + dataDir.resolve("tls").resolve("broker.p12"))
                .contains("the password is wrong");
        assertThat(dataDir.resolve("credentials")).doesNotExist();
    }
}
