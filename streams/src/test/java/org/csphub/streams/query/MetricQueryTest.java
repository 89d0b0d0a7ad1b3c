package org.csphub.streams.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.junit.jupiter.api.Test;

class MetricQueryTest {

    private static AreaMetric metric(final String dimension, final String value, final PeriodType type,
            final String period) {
        return new AreaMetric("asb.incidents", dimension, value, AreaType.WARD, "E05013050", "Abbey", type, period,
                1.0, null, null, false, null);
    }

    @Test
    void shouldAnswerTotalsInARangeOfRollingWindowsByTheirEndMonth() {
        final MetricQuery query = MetricQuery.of(Map.of("metric", "asb.incidents", "area_type", "ward",
                "period_type", "ROLLING_12M", "from", "2019-10", "to", "2020-09")::get);

        assertThat(query.matches(metric(null, null, PeriodType.ROLLING_12M, "12m to 2019-10"))).isTrue();
        assertThat(query.matches(metric(null, null, PeriodType.ROLLING_12M, "12m to 2020-09"))).isTrue();
        assertThat(query.matches(metric(null, null, PeriodType.ROLLING_12M, "12m to 2020-10"))).isFalse();
        assertThat(query.matches(metric("category", "NUISANCE", PeriodType.ROLLING_12M, "12m to 2020-01"))).isFalse();
        assertThat(query.matches(metric(null, null, PeriodType.MONTH, "2020-01"))).isFalse();
    }

    @Test
    void shouldAnswerEveryValueOfANamedBreakdownAndQuartersInOrder() {
        final MetricQuery query = MetricQuery.of(Map.of("metric", "asb.incidents", "dimension", "category",
                "from", "2019/20 Q2", "to", "2019/20 Q4")::get);

        assertThat(query.matches(metric("category", "NUISANCE", PeriodType.QUARTER, "2019/20 Q3"))).isTrue();
        assertThat(query.matches(metric("category", "PERSONAL", PeriodType.QUARTER, "2019/20 Q1"))).isFalse();
        assertThat(query.matches(metric(null, null, PeriodType.QUARTER, "2019/20 Q3"))).isFalse();
        assertThat(query.family()).isEqualTo("asb");
        assertThat(query.queryString()).isEqualTo("metric=asb.incidents&dimension=category&from=2019%2F20+Q2"
                + "&to=2019%2F20+Q4");
    }

    @Test
    void shouldRefuseAQueryWithoutAMetricOrWithAnUnknownPeriodType() {
        assertThatThrownBy(() -> MetricQuery.of(Map.<String, String>of()::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'metric' is required");
        assertThatThrownBy(() -> MetricQuery.of(Map.of("metric", "asb.incidents", "period_type", "WEEK")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period_type");
    }
}
