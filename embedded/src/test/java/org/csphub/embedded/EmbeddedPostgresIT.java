package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EmbeddedPostgresIT {

    private static final Duration START = Duration.ofSeconds(120);

    @Test
    void shouldKeepItsTablesAndItsPortAcrossARestartAndLeaveNothingListeningWhenClosed() throws Exception {
        final Path dataDir = EmbeddedStackExtension.freshDataDir();
        final int port;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, 0, START)) {
            port = postgres.port();
            assertThat(postgres.url()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
            assertThat(EmbeddedPostgres.runningUrl(dataDir)).contains(postgres.url());
            execute(postgres.url(), "CREATE TABLE kept (value text)", "INSERT INTO kept VALUES ('before')");

            postgres.restart(START);

            assertThat(postgres.port()).isEqualTo(port);
            assertThat(values(postgres.url())).containsExactly("before");
        }
        assertThat(EmbeddedPostgres.runningUrl(dataDir)).as("the URL file once stopped").isEmpty();
        assertThat(Tcp.accepts(port)).as("something listening on " + port + " once stopped").isFalse();
    }

    @Test
    void shouldRefuseAClusterInUseAndEndTheServerThatAKilledProcessLeftBehind() throws Exception {
        final Path dataDir = EmbeddedStackExtension.freshDataDir();
        final Process owner = new ProcessBuilder(JavaRuntime.current().javaExecutable().toString(), "-cp",
                System.getProperty("java.class.path"), PostgresProcessForTests.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(),
                StandardCharsets.UTF_8))) {
            final int port = portOf(out);
            final String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            execute(url, "CREATE TABLE kept (value text)", "INSERT INTO kept VALUES ('before')");

            assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, 0, START))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another hub process");

            final Path pidFile = EmbeddedPostgres.folder(dataDir).resolve("data").resolve("postmaster.pid");
            final long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive))
                    .as("PostgreSQL outlives the process that started it").contains(true);

            try (EmbeddedPostgres again = EmbeddedPostgres.start(dataDir, 0, START)) {
                assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                        .as("the server left behind, after the next start").isFalse();
                assertThat(again.port()).isEqualTo(port);
                assertThat(values(again.url())).containsExactly("before");
            }
        } finally {
            owner.destroyForcibly();
        }
    }

    private static int portOf(final BufferedReader out) throws Exception {
        final List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).trim());
            }
            seen.add(line);
        }
        throw new AssertionError("The process ended without a port; it said: " + String.join("\n", seen));
    }

    private static void execute(final String url, final String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgres.USER, "");
                Statement statement = connection.createStatement()) {
            for (final String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> values(final String url) throws SQLException {
        final List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgres.USER, "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT value FROM kept")) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }
}
