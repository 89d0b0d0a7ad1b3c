package org.csphub.streams.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.csphub.metrics.PeriodType;
import org.junit.jupiter.api.Test;

class SeriesTopologyTest {

    private static Set<Integer> partitionsUsed(final int partitions) {
        return Arrays.stream(PeriodType.values()).map(type -> SeriesTopology.partitionOf(type, partitions))
                .collect(Collectors.toSet());
    }

    @Test
    void shouldUseEveryPartitionOfTheMetricTopicUpToOnePerPeriodType() {
        for (int partitions = 1; partitions <= 6; partitions++) {
            final int count = partitions;
            assertThat(partitionsUsed(partitions)).as("%d partitions", partitions)
                    .hasSize(Math.min(partitions, PeriodType.values().length))
                    .allMatch(partition -> partition >= 0 && partition < count);
        }
    }

    @Test
    void shouldNeverPutMonthsAndRollingYearsTogetherWhenThereIsRoomForBoth() {
        for (int partitions = 2; partitions <= 6; partitions++) {
            assertThat(SeriesTopology.partitionOf(PeriodType.MONTH, partitions)).as("%d partitions", partitions)
                    .isNotEqualTo(SeriesTopology.partitionOf(PeriodType.ROLLING_12M, partitions));
        }
    }
}
