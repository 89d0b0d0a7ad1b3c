package org.csphub.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A self-signed broker certificate made at test time with the keytool of the JDK running the tests:
 * a PKCS12 keystore holding its private key, and a PKCS12 truststore holding only the certificate.
 */
public record TestCertificates(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    /** The names an embedded broker's certificate needs: it is reached at 127.0.0.1. */
    public static final String LOOPBACK_NAMES = "ip:127.0.0.1,dns:localhost";

    /** A certificate for {@code CN=localhost} with the given subject alternative names, valid for two days. */
    public static TestCertificates selfSigned(final Path folder, final String subjectAlternativeNames)
            throws IOException, InterruptedException {
        Files.createDirectories(folder);
        final TestCertificates made = new TestCertificates(folder.resolve("broker.keystore.p12"), "keystore-secret",
                folder.resolve("truststore.p12"), "truststore-secret");
        final Path certificate = folder.resolve("broker.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", made.keystore.toString(),
                "-storepass", made.keystorePassword, "-keypass", made.keystorePassword);
        keytool("-exportcert", "-alias", "broker", "-rfc", "-file", certificate.toString(),
                "-keystore", made.keystore.toString(), "-storepass", made.keystorePassword);
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", made.truststore.toString(),
                "-storepass", made.truststorePassword);
        return made;
    }

    /** The stores as the secure broker takes them. */
    public ListenerTls listenerTls() {
        return ListenerTls.load(keystore, "PKCS12", keystorePassword, "", Optional.of(truststore),
                "PKCS12", truststorePassword);
    }

    private static void keytool(final String... arguments) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
