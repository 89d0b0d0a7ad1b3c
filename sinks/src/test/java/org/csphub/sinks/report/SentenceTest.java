package org.csphub.sinks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SentenceTest {

    @Test
    void shouldFillPlaceholdersAndEscapeTheText() {
        assertThat(Sentence.fill("{area} had {count} <finds> in {year}.", Map.of("area", "Cambridge", "count",
                "318", "year", "2020/21"))).isEqualTo("Cambridge had 318 &lt;finds&gt; in 2020/21.");
    }

    @Test
    void shouldLeaveOutAnOptionalPartWithoutItsValue() {
        final String template = "{count} against {before}[, {change}].";
        assertThat(Sentence.fill(template, Map.of("count", "951", "before", "1,753", "change", "a fall of 46%")))
                .isEqualTo("951 against 1,753, a fall of 46%.");
        assertThat(Sentence.fill(template, Map.of("count", "951"))).isEqualTo("951 against –.");
    }

    @Test
    void shouldWriteChangesToTheNearestWholePercent() {
        // 951 on 1,753 is -45.75%; 135 on 100 is +35%; 3,504 on 3,516 is -0.34%, which rounds to no change
        assertThat(Words.risesAndFalls(Amount.of(1_753), Amount.of(951))).contains("a fall of 46%");
        assertThat(Words.upAndDown(Amount.of(100), Amount.of(135))).contains("up 35%");
        assertThat(Words.risesAndFalls(Amount.of(3_516), Amount.of(3_504))).contains("no change");
        assertThat(Words.risesAndFalls(Amount.WITHHELD, Amount.of(3_504))).isEmpty();
        assertThat(Words.window(java.time.YearMonth.of(2020, 1), java.time.YearMonth.of(2020, 8)))
                .isEqualTo("January to August 2020");
    }
}
