package org.csphub.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Authentication and authorization for the embedded broker: SASL/SCRAM-SHA-512 on the client
 * listener, SASL/PLAIN between the broker and its own controller, the standard KRaft authorizer with
 * deny-by-default, and a super user for the broker itself and one for the administrator.
 *
 * <p>Given a {@link ListenerTls}, the client listener speaks SASL_SSL (SCRAM over TLS) instead of
 * SASL_PLAINTEXT. The broker's traffic to itself (the transaction coordinator's checks, for example)
 * then goes through a separate loopback listener, {@value #INTERNAL_LISTENER}, that accepts the broker's
 * own credential only (SASL/PLAIN), so that no client reaches the broker without TLS.
 *
 * <p>Each principal's password is generated once and kept in {@code dataDir/credentials/<name>.properties}
 * (readable by its owner only), in the hub's configuration format ({@code kafka.*} keys), so that
 * {@code hub <command> --config that-file} connects as that principal. A later start reuses the passwords,
 * as the broker's storage keeps the SCRAM credentials it was formatted with.
 */
public final class ScramSecurity {

    /** The broker's own principal (inter-broker and broker-to-controller traffic); a super user. */
    public static final String BROKER = "csp-hub-broker";
    /** The administrator: creates topics and ACLs; a super user. */
    public static final String ADMIN = "csp-hub-admin";
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The name of the client listener when security is on. */
    public static final String LISTENER = "CLIENT";
    /** The name of the broker's own loopback listener when the client listener has TLS. */
    public static final String INTERNAL_LISTENER = "INTERNAL";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path folder;
    private final Map<String, String> passwords;
    private final Set<String> created;
    private final Optional<ListenerTls> tls;

    private ScramSecurity(final Path folder, final Map<String, String> passwords, final Set<String> created,
            final Optional<ListenerTls> tls) {
        this.folder = folder;
        this.passwords = Collections.unmodifiableMap(passwords);
        this.created = Collections.unmodifiableSet(created);
        this.tls = tls;
    }

    /**
     * The credentials of the broker, the administrator and every given principal, read from
     * {@code dataDir/credentials} where they exist and generated where they do not.
     */
    public static ScramSecurity prepare(final Path dataDir, final Collection<String> principals) {
        return prepare(dataDir, principals, Optional.empty());
    }

    /**
     * As {@link #prepare(Path, Collection)}, with TLS on the client listener when {@code tls} is given;
     * the principals' client settings then name SASL_SSL and the truststore.
     */
    public static ScramSecurity prepare(final Path dataDir, final Collection<String> principals,
            final Optional<ListenerTls> tls) {
        final Path folder = dataDir.toAbsolutePath().resolve("credentials");
        if (principals.contains(BROKER) || principals.contains(ADMIN)) {
            // a role given a super user's name would bypass every ACL
            throw new IllegalArgumentException("The principal names " + BROKER + " and " + ADMIN
                    + " are reserved for the broker and the administrator");
        }
        final Set<String> names = new LinkedHashSet<>(List.of(BROKER, ADMIN));
        names.addAll(principals);
        final Map<String, String> passwords = new LinkedHashMap<>();
        final Set<String> created = new LinkedHashSet<>();
        try {
            createPrivateFolder(folder);
            for (final String name : names) {
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("The principal name '" + name
                            + "' may hold only letters, digits, '.', '_' and '-'");
                }
                final Path file = folder.resolve(name + ".properties");
                if (Files.exists(file)) {
                    passwords.put(name, readPassword(file));
                } else {
                    passwords.put(name, newPassword());
                    created.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep credentials in " + folder, e);
        }
        final ScramSecurity security = new ScramSecurity(folder, passwords, created, tls);
        // kept before the broker starts, so that a start that fails half-way does not lose a password
        security.writeCredentialFiles(null);
        return security;
    }

    /** Every principal with a credential, the broker and the administrator first. */
    public Set<String> principals() {
        return passwords.keySet();
    }

    /** The principals whose passwords were generated by {@link #prepare}, not read back. */
    Set<String> newlyCreated() {
        return created;
    }

    String password(final String principal) {
        final String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("No credential for principal '" + principal + "'");
        }
        return password;
    }

    /** TLS on the client listener, if any. */
    public Optional<ListenerTls> tls() {
        return tls;
    }

    /** The client listener's security protocol: SASL_SSL with TLS, else SASL_PLAINTEXT. */
    public String securityProtocol() {
        return tls.isPresent() ? "SASL_SSL" : "SASL_PLAINTEXT";
    }

    /** The listener the broker talks to itself through: the client listener, or the internal one with TLS. */
    String interBrokerListener() {
        return tls.isPresent() ? INTERNAL_LISTENER : LISTENER;
    }

    /** The folder holding one properties file per principal. */
    public Path folder() {
        return folder;
    }

    /** The properties file of a principal's client settings. */
    public Path credentialsFile(final String principal) {
        password(principal);
        return folder.resolve(principal + ".properties");
    }

    /** The broker settings that switch authentication and the authorizer on. */
    public Map<String, String> brokerConfig() {
        final String listener = LISTENER.toLowerCase(Locale.ROOT);
        final Map<String, String> config = new LinkedHashMap<>();
        config.put("sasl.enabled.mechanisms", MECHANISM);
        config.put("listener.name." + listener + ".sasl.enabled.mechanisms", MECHANISM);
        if (tls.isPresent()) {
            final String internal = INTERNAL_LISTENER.toLowerCase(Locale.ROOT);
            config.put("listener.security.protocol.map", LISTENER + ":SASL_SSL," + INTERNAL_LISTENER
                    + ":SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            config.putAll(tls.get().brokerConfig(LISTENER));
            // the broker no longer logs in on the client listener; SCRAM checks clients against the metadata log
            config.put("listener.name." + listener + ".scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            // the broker's own traffic stays on loopback without TLS, open to the broker's credential alone
            config.put("inter.broker.listener.name", INTERNAL_LISTENER);
            config.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            config.put("listener.name." + internal + ".sasl.enabled.mechanisms", "PLAIN");
            config.put("listener.name." + internal + ".plain.sasl.jaas.config", brokerPlainJaas());
        } else {
            config.put("listener.security.protocol.map", LISTENER + ":SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            config.put("inter.broker.listener.name", LISTENER);
            config.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
            config.put("listener.name." + listener + ".scram-sha-512.sasl.jaas.config", scramJaas(BROKER));
        }
        // SCRAM credentials live in the metadata log, which the controller serves; the controller's own
        // listener therefore uses PLAIN, with the broker as its one user
        config.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        config.put("sasl.mechanism.controller.protocol", "PLAIN");
        config.put("listener.name.controller.plain.sasl.jaas.config", brokerPlainJaas());
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("allow.everyone.if.no.acl.found", "false");
        config.put("super.users", "User:" + BROKER + ";User:" + ADMIN);
        config.put(KafkaBrokerMain.SCRAM_PROPERTY, passwords.keySet().stream()
                .map(name -> MECHANISM + "=[name=" + name + ",password=" + password(name) + "]")
                .collect(Collectors.joining(";")));
        return config;
    }

    /** The client settings (without bootstrap servers) a principal connects with. */
    public Map<String, Object> clientConfig(final String principal) {
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("security.protocol", securityProtocol());
        config.put("sasl.mechanism", MECHANISM);
        config.put("sasl.jaas.config", scramJaas(principal));
        tls.ifPresent(settings -> config.putAll(settings.clientConfig()));
        return config;
    }

    /** Writes each principal's client settings, with the broker's address if known, in the hub's configuration format. */
    void writeCredentialFiles(final String bootstrapServers) {
        try {
            for (final String name : passwords.keySet()) {
                final Properties properties = new Properties();
                if (bootstrapServers != null) {
                    properties.setProperty("kafka.bootstrap.servers", bootstrapServers);
                }
                clientConfig(name).forEach((key, value) -> properties.setProperty("kafka." + key, value.toString()));
                final Path file = folder.resolve(name + ".properties");
                final Path partial = folder.resolve(name + ".properties.partial");
                Files.deleteIfExists(partial);
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(partial)) {
                    properties.store(out, "Kafka client settings of principal " + name
                            + "; use with hub <command> --config " + file);
                }
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write credentials in " + folder, e);
        }
    }

    private String scramJaas(final String principal) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                + "\" password=\"" + password(principal) + "\";";
    }

    /** A PLAIN login as the broker that also accepts the broker, and no one else, on the listener it is set on. */
    private String brokerPlainJaas() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER
                + "\" password=\"" + password(BROKER) + "\" user_" + BROKER + "=\"" + password(BROKER) + "\";";
    }

    private static String newPassword() {
        final byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        // URL-safe base64 holds no character that the SCRAM or JAAS syntax would have to escape
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String readPassword(final Path file) throws IOException {
        final Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        final String jaas = properties.getProperty("kafka.sasl.jaas.config", "");
        final var matcher = Pattern.compile("password=\"([^\"]*)\"").matcher(jaas);
        if (!matcher.find()) {
            throw new IOException("No password in " + file);
        }
        return matcher.group(1);
    }

    private static void createPrivateFolder(final Path folder) throws IOException {
        try {
            Files.createDirectories(folder.getParent());
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // kept from an earlier start
        }
    }
}
