package org.csphub.serde;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The serde's configuration keys, named as Confluent's serde names them so that the same client
 * properties work with either.
 */
public final class SerdeConfig {

    /** The registry's base URL, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}; {@code mem://NAME} for tests. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** {@code user:password} for a registry behind basic authentication. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Whether the serializer registers a schema it has not seen (default true). */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** A {@link SchemaRegistry} instance to use instead of a URL. */
    public static final String SCHEMA_REGISTRY_INSTANCE = "csphub.schema.registry.instance";

    private static final String MEMORY_SCHEME = "mem://";

    private SerdeConfig() {
    }

    /** The registry named by a Kafka client configuration. */
    public static SchemaRegistry registry(final Map<String, ?> configs) {
        final Object instance = configs.get(SCHEMA_REGISTRY_INSTANCE);
        if (instance instanceof SchemaRegistry registry) {
            return registry;
        }
        final Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("The Avro serde needs '" + SCHEMA_REGISTRY_URL
                    + "', the schema registry's URL (for example http://127.0.0.1:8081/apis/ccompat/v7)");
        }
        return registry(url.toString(), Optional.ofNullable(configs.get(BASIC_AUTH_USER_INFO)).map(Object::toString));
    }

    /** A registry at {@code url}: in memory for {@code mem://NAME}, otherwise a REST client. */
    public static SchemaRegistry registry(final String url, final Optional<String> basicAuthUserInfo) {
        if (url.startsWith(MEMORY_SCHEME)) {
            return InMemorySchemaRegistry.named(url.substring(MEMORY_SCHEME.length()));
        }
        return new SchemaRegistryClient(new SchemaRegistryClient.Settings(url,
                basicAuthUserInfo.filter(value -> !value.isBlank()), Duration.ofSeconds(10),
                SchemaRegistryClient.Settings.LOOKUP_RETRY));
    }

    static boolean autoRegister(final Map<String, ?> configs) {
        final Object value = configs.get(AUTO_REGISTER_SCHEMAS);
        return value == null || Boolean.parseBoolean(value.toString());
    }
}
