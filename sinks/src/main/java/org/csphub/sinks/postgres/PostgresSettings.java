package org.csphub.sinks.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;
import org.csphub.config.HubConfig;

/** Where the sink's tables live: the JDBC URL, credentials and the schema that holds them. */
public record PostgresSettings(String url, String user, String password, String schema) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    public PostgresSettings {
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("The PostgreSQL schema name '" + schema
                    + "' must be lower-case letters, digits and underscores");
        }
    }

    /** The configured settings, the URL as {@link HubConfig#postgresUrl()} finds it. */
    public static PostgresSettings of(final HubConfig config) {
        return new PostgresSettings(config.postgresUrl(), config.get(HubConfig.POSTGRES_USER),
                config.get(HubConfig.POSTGRES_PASSWORD), config.get(HubConfig.POSTGRES_SCHEMA));
    }

    /** Whether a PostgreSQL server answers at the URL with these credentials (for deciding whether to run the sink). */
    public boolean answers() {
        try (Connection connection = connect("csp-hub-probe")) {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A new connection, not auto-committing, with the schema as the search path (a URL's own settings win). */
    Connection connect(final String applicationName) throws SQLException {
        final Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("currentSchema", schema);
        properties.setProperty("connectTimeout", "5");
        // a JDBC batch of upserts goes to the server as multi-row statements, not one round trip per row
        properties.setProperty("reWriteBatchedInserts", "true");
        final Connection connection = DriverManager.getConnection(url, properties);
        connection.setAutoCommit(false);
        return connection;
    }
}
