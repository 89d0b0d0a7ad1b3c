package org.csphub.sinks.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleUpToTheMaximum() {
        final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1));
        final List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(backoff.next());
        }

        assertThat(waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
    }
}
