package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void shouldHandOutEveryFreePortOnceSoThatTwoListenersNeverShareOne() {
        final Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            final int port = Ports.freeIfZero(0);
            assertThat(ports.add(port)).as("port %d handed out a second time", port).isTrue();
            assertThat(Ports.isFree(port)).as("port %d is free", port).isTrue();
        }
    }

    @Test
    void shouldKeepAPortThatWasAskedFor() {
        assertThat(Ports.freeIfZero(19092)).isEqualTo(19092);
    }
}
