package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TableRowTest {

    static Stream<List<String>> rows() {
        return Stream.of(List.of("A1", "2020-06-01 10:00", "NUISANCE", "Abbey"),
                List.of("", "", ""),
                List.of("a, b", "say \"hi\"", "two\nlines", " padded "),
                List.of("#comment-like", "=formula", "'quote"),
                Arrays.asList("x", null, "y"),
                List.of("only"));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void shouldJoinValuesAsCommonsCsvFormatsOneRecord(final List<String> values) {
        assertThat(TableRow.joined(values)).isEqualTo(CSVFormat.DEFAULT.format(values.toArray()));
    }
}
