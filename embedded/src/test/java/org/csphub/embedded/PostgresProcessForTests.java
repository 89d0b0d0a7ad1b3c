package org.csphub.embedded;

import java.nio.file.Path;
import java.time.Duration;

/** A process that starts an embedded PostgreSQL, prints its port and waits: the test kills it. */
public final class PostgresProcessForTests {

    private PostgresProcessForTests() {
    }

    public static void main(final String[] args) throws Exception {
        final EmbeddedPostgres postgres = EmbeddedPostgres.start(Path.of(args[0]), 0, Duration.ofSeconds(120));
        System.out.println("PORT " + postgres.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
