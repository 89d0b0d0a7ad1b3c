package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScramSecurityTest {

    @Test
    void shouldKeepOneOwnerOnlyCredentialsFilePerPrincipal(@TempDir final Path dataDir) throws Exception {
        final ScramSecurity security = ScramSecurity.prepare(dataDir, List.of("csp-police", "csp-research"));

        assertThat(security.principals()).containsExactly("csp-hub-broker", "csp-hub-admin", "csp-police",
                "csp-research");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(security.folder())))
                .isEqualTo("rwx------");
        final Path police = security.credentialsFile("csp-police");
        assertThat(police).isEqualTo(dataDir.resolve("credentials").resolve("csp-police.properties"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(police))).isEqualTo("rw-------");
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(police)) {
            properties.load(in);
        }
        assertThat(properties.getProperty("kafka.security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(properties.getProperty("kafka.sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(properties.getProperty("kafka.sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"csp-police\" password=\""
                        + security.password("csp-police") + "\";");
    }

    @Test
    void shouldReuseThePasswordsOfAnEarlierStartAndCreateOnlyNewOnes(@TempDir final Path dataDir) {
        final ScramSecurity first = ScramSecurity.prepare(dataDir, List.of("csp-police"));

        final ScramSecurity second = ScramSecurity.prepare(dataDir, List.of("csp-police", "csp-fire"));

        assertThat(first.newlyCreated()).containsExactly("csp-hub-broker", "csp-hub-admin", "csp-police");
        assertThat(second.newlyCreated()).containsExactly("csp-fire");
        assertThat(second.password("csp-police")).isEqualTo(first.password("csp-police"));
        assertThat(second.password("csp-hub-admin")).isEqualTo(first.password("csp-hub-admin"));
        assertThat(second.password("csp-fire")).isNotEqualTo(second.password("csp-police")).hasSize(32);
    }

    @Test
    void shouldSwitchOnScramTheAuthorizerAndDenyByDefault(@TempDir final Path dataDir) {
        final ScramSecurity security = ScramSecurity.prepare(dataDir, List.of("csp-police"));

        assertThat(security.brokerConfig())
                .containsEntry("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT")
                .containsEntry("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .containsEntry("inter.broker.listener.name", "CLIENT")
                .doesNotContainKey("listener.name.client.ssl.keystore.location")
                .containsEntry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("allow.everyone.if.no.acl.found", "false")
                .containsEntry("super.users", "User:csp-hub-broker;User:csp-hub-admin")
                .containsEntry(KafkaBrokerMain.SCRAM_PROPERTY,
                        "SCRAM-SHA-512=[name=csp-hub-broker,password=" + security.password("csp-hub-broker") + "];"
                                + "SCRAM-SHA-512=[name=csp-hub-admin,password=" + security.password("csp-hub-admin") + "];"
                                + "SCRAM-SHA-512=[name=csp-police,password=" + security.password("csp-police") + "]");
    }

    @Test
    void shouldMoveTheClientListenerToSaslSslAndTheBrokersOwnTrafficToALoopbackListener(@TempDir final Path dataDir)
            throws Exception {
        final TestCertificates certificates = TestCertificates.selfSigned(dataDir.resolve("tls"),
                TestCertificates.LOOPBACK_NAMES);

        final ScramSecurity security = ScramSecurity.prepare(dataDir, List.of("csp-police"),
                Optional.of(certificates.listenerTls()));

        assertThat(security.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(security.interBrokerListener()).isEqualTo("INTERNAL");
        assertThat(security.brokerConfig())
                .containsEntry("listener.security.protocol.map",
                        "CLIENT:SASL_SSL,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT")
                .containsEntry("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .containsEntry("listener.name.client.ssl.keystore.location", certificates.keystore().toString())
                .containsEntry("inter.broker.listener.name", "INTERNAL")
                .containsEntry("listener.name.internal.sasl.enabled.mechanisms", "PLAIN")
                .containsEntry("sasl.mechanism.inter.broker.protocol", "PLAIN")
                .containsEntry("allow.everyone.if.no.acl.found", "false");
        assertThat(security.brokerConfig().get("listener.name.internal.plain.sasl.jaas.config"))
                .contains("user_csp-hub-broker=").doesNotContain("csp-police");
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(security.credentialsFile("csp-police"))) {
            properties.load(in);
        }
        assertThat(properties.getProperty("kafka.security.protocol")).isEqualTo("SASL_SSL");
        assertThat(properties.getProperty("kafka.ssl.truststore.location"))
                .isEqualTo(certificates.truststore().toString());
        assertThat(properties.getProperty("kafka.ssl.truststore.password")).isEqualTo(certificates.truststorePassword());
        assertThat(properties.stringPropertyNames()).noneMatch(key -> key.contains("keystore"));
    }

    @Test
    void shouldRefuseAPrincipalNameThatScramCannotCarry(@TempDir final Path dataDir) {
        assertThatThrownBy(() -> ScramSecurity.prepare(dataDir, List.of("police,admin")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'police,admin'");
    }

    @Test
    void shouldRefuseARoleNamedAsASuperUser(@TempDir final Path dataDir) {
        assertThatThrownBy(() -> ScramSecurity.prepare(dataDir, List.of("csp-police", "csp-hub-admin")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }
}
