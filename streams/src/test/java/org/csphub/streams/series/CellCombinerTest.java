package org.csphub.streams.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CellCombinerTest {

    private static final YearMonth MONTH = YearMonth.of(2020, 3);

    private static Contribution cell(final long... counters) {
        return new Contribution(MONTH, "E05002703", "Arbury", "E07000008", "Cambridge",
                Map.of("category", "NUISANCE"), counters);
    }

    @Test
    void shouldPassOnWhatACellMovedBy() {
        assertThat(CellCombiner.change(cell(5, 2), cell(7, 1)).counters()).containsExactly(2, -1);
    }

    @Test
    void shouldPassOnANewCellWhole() {
        final Contribution change = CellCombiner.change(null, cell(3, 1));

        assertThat(change.counters()).containsExactly(3, 1);
        assertThat(CellCombiner.cellOf(change)).isEqualTo(CellCombiner.cellOf(cell(3, 1)));
    }

    @Test
    void shouldTakeAnEmptiedCellAwayWhole() {
        final Contribution change = CellCombiner.change(cell(4, 0), null);

        assertThat(change.counters()).containsExactly(-4, 0);
        assertThat(CellCombiner.cellOf(change)).isEqualTo(CellCombiner.cellOf(cell(4, 0)));
    }

    @Test
    void shouldLeaveASeriesHoldingTheSumOfItsCellsWhateverOrderTheirChangesComeIn() {
        // two partitions' sums of one cell: 0 -> 4 -> 1 and 0 -> 2 -> 0, their changes interleaved
        final Series series = Series.empty()
                .add(CellCombiner.change(null, cell(4, 1)), "Arbury", "E07000008")
                .add(CellCombiner.change(null, cell(2, 2)), "Arbury", "E07000008")
                .add(CellCombiner.change(cell(2, 2), null), "Arbury", "E07000008")
                .add(CellCombiner.change(cell(4, 1), cell(1, 0)), "Arbury", "E07000008");

        assertThat(series.months()).containsOnlyKeys(MONTH);
        assertThat(series.months().get(MONTH)).containsExactly(1, 0);
        assertThat(series.add(CellCombiner.change(cell(1, 0), null), "Arbury", "E07000008").months())
                .as("a month whose last record is retracted").isEmpty();
    }
}
