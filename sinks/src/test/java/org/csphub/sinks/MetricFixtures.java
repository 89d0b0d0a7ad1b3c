package org.csphub.sinks;

import java.time.Instant;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/** Hand-made metric values for the sinks' tests. */
public final class MetricFixtures {

    public static final Instant UPDATED = Instant.parse("2021-04-06T07:00:00Z");
    public static final String CSP = "cambridgeshire-and-peterborough";
    public static final String CAMBRIDGE = "E07000008";

    private MetricFixtures() {
    }

    public static AreaMetric metric(final String metric, final String dimension, final String dimensionValue,
            final AreaType areaType, final String code, final String name, final PeriodType periodType,
            final String period, final Double value) {
        return AreaMetric.newBuilder().setMetric(metric).setDimension(dimension).setDimensionValue(dimensionValue)
                .setAreaType(areaType).setAreaCode(code).setAreaName(name).setPeriodType(periodType)
                .setPeriod(period).setValue(value).setUpdatedAt(UPDATED).build();
    }

    public static AreaMetric ratio(final AreaMetric base, final long numerator, final long denominator) {
        return AreaMetric.newBuilder(base).setNumerator(numerator).setDenominator(denominator)
                .setValue(denominator == 0 ? null : (double) numerator / denominator).build();
    }

    public static AreaMetricKey keyOf(final AreaMetric metric) {
        return AreaMetricKey.newBuilder().setMetric(metric.getMetric()).setDimension(metric.getDimension())
                .setDimensionValue(metric.getDimensionValue()).setAreaType(metric.getAreaType())
                .setAreaCode(metric.getAreaCode()).setPeriodType(metric.getPeriodType())
                .setPeriod(metric.getPeriod()).build();
    }
}
