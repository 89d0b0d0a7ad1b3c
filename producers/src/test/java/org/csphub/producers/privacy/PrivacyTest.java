package org.csphub.producers.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrivacyTest {

    @Test
    void shouldBandAgesInOnsFiveYearBands() {
        assertThat(AgeBands.bandOf(0)).isEqualTo("0-4");
        assertThat(AgeBands.bandOf(4)).isEqualTo("0-4");
        assertThat(AgeBands.bandOf(5)).isEqualTo("5-9");
        assertThat(AgeBands.bandOf(89)).isEqualTo("85-89");
        assertThat(AgeBands.bandOf(90)).isEqualTo("90+");
        assertThat(AgeBands.bandOf(104)).isEqualTo("90+");
    }

    @Test
    void shouldHashAsHmacSha256() {
        // RFC 4231, test case 2
        assertThat(new ClientHasher("Jefe".getBytes(StandardCharsets.UTF_8)).hash("what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
