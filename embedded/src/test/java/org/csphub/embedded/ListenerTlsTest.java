package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerTlsTest {

    @TempDir
    static Path folder;

    private static TestCertificates loopback;
    private static TestCertificates other;
    private static TestCertificates hostnameOnly;

    @BeforeAll
    static void makeCertificates() throws Exception {
        loopback = TestCertificates.selfSigned(folder.resolve("loopback"), TestCertificates.LOOPBACK_NAMES);
        other = TestCertificates.selfSigned(folder.resolve("other"), TestCertificates.LOOPBACK_NAMES);
        hostnameOnly = TestCertificates.selfSigned(folder.resolve("hostname"), "dns:localhost");
    }

    @Test
    void shouldPutTheKeystoreOnTheListenerAndTheTruststoreInTheClientSettings() {
        final ListenerTls tls = ListenerTls.load(loopback.keystore(), "", loopback.keystorePassword(), "",
                Optional.of(loopback.truststore()), "", loopback.truststorePassword());

        assertThat(tls.subject()).isEqualTo("CN=localhost");
        assertThat(tls.brokerConfig("CLIENT"))
                .containsEntry("listener.name.client.ssl.keystore.location", loopback.keystore().toString())
                .containsEntry("listener.name.client.ssl.keystore.type", "PKCS12")
                .containsEntry("listener.name.client.ssl.keystore.password", loopback.keystorePassword())
                .containsEntry("listener.name.client.ssl.key.password", loopback.keystorePassword())
                .containsEntry("listener.name.client.ssl.client.auth", "none");
        assertThat(tls.clientConfig())
                .containsEntry("ssl.truststore.location", loopback.truststore().toString())
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", loopback.truststorePassword())
                .doesNotContainKey("ssl.keystore.location");
        assertThat(tls.toString()).doesNotContain(loopback.keystorePassword(), loopback.truststorePassword());
    }

    @Test
    void shouldRefuseAWrongKeystorePassword() {
        assertThatThrownBy(() -> ListenerTls.load(loopback.keystore(), "PKCS12", "not-the-password", "",
                Optional.of(loopback.truststore()), "PKCS12", loopback.truststorePassword()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(loopback.keystore().toString()).hasMessageContaining("password is wrong");
    }

    @Test
    void shouldRefuseAKeystoreWithoutItsPasswordOrFile() {
        assertThatThrownBy(() -> ListenerTls.load(loopback.keystore(), "PKCS12", "", "",
                Optional.of(loopback.truststore()), "PKCS12", loopback.truststorePassword()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs its password");
        final Path missing = folder.resolve("missing.p12");
        assertThatThrownBy(() -> ListenerTls.load(missing, "PKCS12", "secret", "", Optional.empty(), "", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseACertificateThatDoesNotNameTheBrokersAddress() {
        assertThatThrownBy(() -> ListenerTls.load(hostnameOnly.keystore(), "PKCS12",
                hostnameOnly.keystorePassword(), "", Optional.of(hostnameOnly.truststore()), "PKCS12",
                hostnameOnly.truststorePassword()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not name the IP address 127.0.0.1");
    }

    @Test
    void shouldRefuseACertificateTheTruststoreDoesNotTrust() {
        assertThatThrownBy(() -> ListenerTls.load(loopback.keystore(), "PKCS12", loopback.keystorePassword(), "",
                Optional.of(other.truststore()), "PKCS12", other.truststorePassword()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not trusted by the truststore " + other.truststore());
    }

    @Test
    void shouldRefuseASelfSignedCertificateWhenClientsWouldUseTheJdksTrust() {
        assertThatThrownBy(() -> ListenerTls.load(loopback.keystore(), "PKCS12", loopback.keystorePassword(), "",
                Optional.empty(), "", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not trusted by the JDK's default truststore");
    }
}
