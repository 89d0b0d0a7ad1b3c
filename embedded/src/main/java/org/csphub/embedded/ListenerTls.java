package org.csphub.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS on the secure broker's client listener: the broker's keystore (its private key and certificate
 * chain), and the truststore its clients check that certificate against.
 *
 * <p>{@link #load} opens both stores before the broker starts and refuses, with the reason, a
 * keystore that cannot be opened, holds no private key, or whose certificate has expired, does not
 * name {@value #ADDRESS} (the address the embedded broker advertises; clients check it against the
 * certificate's subject alternative names), or is not trusted by the truststore (the JDK's default
 * trust when none is given). Without these checks the broker would start and every client fail its
 * handshake.
 */
public final class ListenerTls {

    /** The keystore and truststore format unless told otherwise. */
    public static final String DEFAULT_TYPE = "PKCS12";
    /** The address the embedded broker listens on and advertises; its certificate must name it. */
    static final String ADDRESS = "127.0.0.1";
    private static final int SAN_IP_ADDRESS = 7;

    private final Path keystore;
    private final String keystoreType;
    private final String keystorePassword;
    private final String keyPassword;
    private final Optional<Path> truststore;
    private final String truststoreType;
    private final String truststorePassword;
    private final X509Certificate certificate;

    private ListenerTls(final Path keystore, final String keystoreType, final String keystorePassword,
            final String keyPassword, final Optional<Path> truststore, final String truststoreType,
            final String truststorePassword, final X509Certificate certificate) {
        this.keystore = keystore;
        this.keystoreType = keystoreType;
        this.keystorePassword = keystorePassword;
        this.keyPassword = keyPassword;
        this.truststore = truststore;
        this.truststoreType = truststoreType;
        this.truststorePassword = truststorePassword;
        this.certificate = certificate;
    }

    /**
     * Opens and checks the stores.
     *
     * @param keystoreType blank for {@value #DEFAULT_TYPE}
     * @param keyPassword the private key's password; blank when it is the keystore's (always so in PKCS12
     *        files that keytool writes)
     * @param truststore empty for the JDK's default trust (a certificate from a public CA)
     * @param truststoreType blank for {@value #DEFAULT_TYPE}
     * @param truststorePassword blank for none
     * @throws IllegalArgumentException naming the store and what is wrong with it
     */
    public static ListenerTls load(final Path keystore, final String keystoreType, final String keystorePassword,
            final String keyPassword, final Optional<Path> truststore, final String truststoreType,
            final String truststorePassword) {
        final Path keys = keystore.toAbsolutePath().normalize();
        final Optional<Path> trust = truststore.map(path -> path.toAbsolutePath().normalize());
        final String keysType = orDefault(keystoreType);
        final String trustType = orDefault(truststoreType);
        if (keystorePassword == null || keystorePassword.isEmpty()) {
            throw new IllegalArgumentException("The keystore " + keys + " needs its password");
        }
        final String privateKeyPassword = keyPassword == null || keyPassword.isEmpty() ? keystorePassword : keyPassword;
        final String trustPassword = truststorePassword == null ? "" : truststorePassword;

        final KeyStore store = open("keystore", keys, keysType, keystorePassword);
        final X509Certificate[] chain = serverChain(store, keys, privateKeyPassword);
        checkValidity(chain[0], keys);
        checkNamesAddress(chain[0], keys);
        final KeyStore trusted = trust.map(path -> open("truststore", path, trustType, trustPassword)).orElse(null);
        if (trusted != null && certificateCount(trusted) == 0) {
            throw new IllegalArgumentException("The truststore " + trust.get() + " holds no certificate"
                    + (trustPassword.isEmpty() ? " it can show without its password" : ""));
        }
        checkTrusted(chain, trusted, keys, trust);
        return new ListenerTls(keys, keysType, keystorePassword, privateKeyPassword, trust, trustType,
                trustPassword, chain[0]);
    }

    /** The broker's keystore. */
    public Path keystore() {
        return keystore;
    }

    /** The truststore given to clients; empty when they rely on the JDK's default trust. */
    public Optional<Path> truststore() {
        return truststore;
    }

    /** The subject of the broker's certificate, for messages. */
    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    /** The broker settings that put this keystore on the listener named {@code listener}. */
    Map<String, String> brokerConfig(final String listener) {
        final String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        final Map<String, String> config = new LinkedHashMap<>();
        config.put(prefix + "ssl.keystore.location", keystore.toString());
        config.put(prefix + "ssl.keystore.type", keystoreType);
        config.put(prefix + "ssl.keystore.password", keystorePassword);
        config.put(prefix + "ssl.key.password", keyPassword);
        // the client listener authenticates clients by SCRAM, not by certificate
        config.put(prefix + "ssl.client.auth", "none");
        return config;
    }

    /** The client settings that make a client trust the broker's certificate (no security protocol). */
    Map<String, Object> clientConfig() {
        final Map<String, Object> config = new LinkedHashMap<>();
        truststore.ifPresent(path -> {
            config.put("ssl.truststore.location", path.toString());
            config.put("ssl.truststore.type", truststoreType);
            if (!truststorePassword.isEmpty()) {
                config.put("ssl.truststore.password", truststorePassword);
            }
        });
        return config;
    }

    @Override
    public String toString() {
        return "TLS with keystore " + keystore + " (" + subject() + "), truststore "
                + truststore.map(Path::toString).orElse("of the JDK");
    }

    private static String orDefault(final String type) {
        return type == null || type.isBlank() ? DEFAULT_TYPE : type.trim();
    }

    private static KeyStore open(final String what, final Path file, final String type, final String password) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("The " + what + " " + file + " does not exist or cannot be read");
        }
        final KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("The " + what + " type '" + type + "' is not known to this JDK "
                    + "(PKCS12 or JKS)", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.isEmpty() ? null : password.toCharArray());
        } catch (IOException e) {
            final String reason = e.getCause() instanceof UnrecoverableKeyException
                    ? "the password is wrong" : e.getMessage();
            throw new IllegalArgumentException("Cannot open the " + what + " " + file + " as " + type + ": "
                    + reason, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot open the " + what + " " + file + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** The certificate chain of the keystore's one private key, checking that the key password opens it. */
    private static X509Certificate[] serverChain(final KeyStore store, final Path file, final String keyPassword) {
        try {
            final List<String> keyAliases = new ArrayList<>();
            for (final String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                throw new IllegalArgumentException("The keystore " + file + " must hold exactly one private key "
                        + "(the broker's), but holds " + keyAliases.size() + " " + keyAliases);
            }
            final String alias = keyAliases.get(0);
            try {
                if (!(store.getKey(alias, keyPassword.toCharArray()) instanceof PrivateKey)) {
                    throw new IllegalArgumentException("The entry '" + alias + "' of the keystore " + file
                            + " is not a private key");
                }
            } catch (UnrecoverableKeyException e) {
                throw new IllegalArgumentException("The key password does not open the private key '" + alias
                        + "' of the keystore " + file, e);
            }
            final Certificate[] certificates = store.getCertificateChain(alias);
            if (certificates == null || certificates.length == 0) {
                throw new IllegalArgumentException("The private key '" + alias + "' of the keystore " + file
                        + " has no certificate");
            }
            final X509Certificate[] chain = new X509Certificate[certificates.length];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = (X509Certificate) certificates[i];
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the keystore " + file + ": " + e.getMessage(), e);
        }
    }

    private static int certificateCount(final KeyStore store) {
        try {
            int count = 0;
            for (final String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    count++;
                }
            }
            return count;
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("Cannot read a truststore: " + e.getMessage(), e);
        }
    }

    private static void checkValidity(final X509Certificate certificate, final Path file) {
        try {
            certificate.checkValidity();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("The certificate " + certificate.getSubjectX500Principal().getName()
                    + " in the keystore " + file + " is not valid now (from " + certificate.getNotBefore()
                    + " to " + certificate.getNotAfter() + ")", e);
        }
    }

    private static void checkNamesAddress(final X509Certificate certificate, final Path file) {
        final List<String> addresses = new ArrayList<>();
        try {
            final Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (final List<?> name : names) {
                    if (name.get(0) instanceof Integer type && type == SAN_IP_ADDRESS) {
                        addresses.add(String.valueOf(name.get(1)));
                    }
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("Cannot read the subject alternative names of the certificate in "
                    + file + ": " + e.getMessage(), e);
        }
        if (!addresses.contains(ADDRESS)) {
            throw new IllegalArgumentException("The certificate " + certificate.getSubjectX500Principal().getName()
                    + " in the keystore " + file + " does not name the IP address " + ADDRESS + " (its IP "
                    + "subject alternative names: " + addresses + "); clients reach the embedded broker at "
                    + ADDRESS + " and check that its certificate names that address, e.g. keytool -genkeypair "
                    + "... -ext SAN=ip:" + ADDRESS + ",dns:localhost");
        }
    }

    private static void checkTrusted(final X509Certificate[] chain, final KeyStore trusted, final Path keys,
            final Optional<Path> truststore) {
        final String trust = truststore.map(path -> "the truststore " + path).orElse("the JDK's default truststore");
        try {
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            for (final TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    // "UNKNOWN" is the authentication type TLS 1.3 checks a server's chain with
                    x509.checkServerTrusted(chain, "UNKNOWN");
                    return;
                }
            }
            throw new IllegalStateException("This JDK has no X.509 trust manager");
        } catch (CertificateException e) {
            throw new IllegalArgumentException("The certificate " + chain[0].getSubjectX500Principal().getName()
                    + " in the keystore " + keys + " is not trusted by " + trust + ", so clients would refuse "
                    + "it: give a truststore holding the certificate or the CA that signed it (" + e.getMessage()
                    + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use " + trust + ": " + e.getMessage(), e);
        }
    }
}
