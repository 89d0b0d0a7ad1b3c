package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FirstLinesTest {

    @Test
    void shouldGiveTheFirstLineOfEachIdAsAMapWould() {
        final Random random = new Random(7L);
        final FirstLines lines = new FirstLines();
        final Map<String, Long> expected = new HashMap<>();
        final List<String> wrong = new ArrayList<>();
        for (long line = 2; line < 100_000; line++) {
            // short and long ids, accents and characters outside Latin-1, ids that differ only in case
            final int kind = random.nextInt(5);
            final String id = switch (kind) {
                case 0 -> "B" + random.nextInt(50_000);
                case 1 -> "b" + random.nextInt(50_000);
                case 2 -> "R\u00e9f-" + Long.toHexString(random.nextLong());
                case 3 -> "\u2116" + random.nextInt(1000) + "\u00a0\u4e00";
                default -> "x".repeat(random.nextInt(300));
            };
            final Long first = expected.putIfAbsent(id, line);
            if (lines.putIfAbsent(id, line) != (first == null ? -1 : first)) {
                wrong.add("line " + line + ", id " + id);
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(lines.size()).isEqualTo(expected.size());
    }

    @Test
    void shouldKeepAnIdLongerThanAChunk() {
        final FirstLines lines = new FirstLines();
        final String huge = "L".repeat(FirstLines.CHUNK_CHARS + 5);
        final String almost = "L".repeat(FirstLines.CHUNK_CHARS + 4);

        assertThat(lines.putIfAbsent("A", 2)).isEqualTo(-1);
        assertThat(lines.putIfAbsent(huge, 3)).isEqualTo(-1);
        assertThat(lines.putIfAbsent(almost, 4)).isEqualTo(-1);
        assertThat(lines.putIfAbsent("B", 5)).isEqualTo(-1);

        assertThat(lines.putIfAbsent(new String(huge.toCharArray()), 6)).isEqualTo(3);
        assertThat(lines.putIfAbsent(almost + "", 7)).isEqualTo(4);
        assertThat(lines.putIfAbsent("A", 8)).isEqualTo(2);
        assertThat(lines.putIfAbsent("B", 9)).isEqualTo(5);
        assertThat(lines.size()).isEqualTo(4);
    }

    @Test
    void shouldKeepIdsThatShareOneHashCode() {
        // "Aa" and "BB" have the same hash code, and so has every string made of fourteen of them
        final List<String> ids = new ArrayList<>();
        for (int bits = 0; bits < 1 << 14; bits++) {
            final StringBuilder id = new StringBuilder();
            for (int i = 0; i < 14; i++) {
                id.append((bits >> i & 1) == 0 ? "Aa" : "BB");
            }
            ids.add(id.toString());
        }
        assertThat(ids.stream().mapToInt(String::hashCode).distinct()).hasSize(1);
        final FirstLines lines = new FirstLines();

        for (int i = 0; i < ids.size(); i++) {
            assertThat(lines.putIfAbsent(ids.get(i), i + 2)).isEqualTo(-1);
        }
        for (int i = ids.size() - 1; i >= 0; i--) {
            assertThat(lines.putIfAbsent(ids.get(i), 100_000)).isEqualTo(i + 2);
        }
        assertThat(lines.putIfAbsent("plain", 3)).isEqualTo(-1);
        assertThat(lines.putIfAbsent("plain", 4)).isEqualTo(3);
        assertThat(lines.size()).isEqualTo(ids.size() + 1);
    }
}
