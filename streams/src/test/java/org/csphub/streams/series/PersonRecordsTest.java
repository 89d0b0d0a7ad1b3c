package org.csphub.streams.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PersonRecordsTest {

    private static LocalDate day(final String text) {
        return LocalDate.parse(text);
    }

    @Test
    void shouldCountARecordWithinTheWindowUpToItsDateAsARepeat() {
        final PersonRecords person = new PersonRecords(Map.of("R1", day("2021-01-31"), "R2", day("2021-07-31")));

        assertThat(person.isRepeat("R2", day("2021-07-31"), 6)).isTrue();
        assertThat(person.isRepeat("R2", day("2021-07-31"), 5)).isFalse();
        assertThat(person.isRepeat("R1", day("2021-01-31"), 6)).as("a later record does not make an earlier a repeat")
                .isFalse();
    }

    @Test
    void shouldMakeTheLargerIdTheRepeatOfTwoOnOneDay() {
        final PersonRecords person = new PersonRecords(Map.of("R1", day("2021-03-01"), "R2", day("2021-03-01")));

        assertThat(person.isRepeat("R1", day("2021-03-01"), 12)).isFalse();
        assertThat(person.isRepeat("R2", day("2021-03-01"), 12)).isTrue();
    }

    @Test
    void shouldForgetARetractedRecordAndSurviveItsSerde() {
        final PersonRecords person = PersonRecords.empty().with("R1", day("2020-05-01")).with("R2", day("2020-06-01"))
                .without("R1");
        final byte[] bytes = PersonRecords.serde().serializer().serialize("t", person);

        final PersonRecords read = PersonRecords.serde().deserializer().deserialize("t", bytes);

        assertThat(read.records()).containsExactly(Map.entry("R2", day("2020-06-01")));
        assertThat(read.isRepeat("R2", day("2020-06-01"), 12)).isFalse();
    }
}
