package org.csphub.disclosure;

import java.util.Comparator;
import java.util.Objects;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/** The identity of one metric value: the fields of {@link AreaMetricKey}, as a value that compares by content. */
public record MetricCell(String metric, String dimension, String dimensionValue, AreaType areaType, String areaCode,
        PeriodType periodType, String period) {

    /** A total order on cells by their fields (a missing dimension first). */
    public static final Comparator<MetricCell> ORDER = Comparator.comparing(MetricCell::metric)
            .thenComparing(MetricCell::periodType).thenComparing(MetricCell::period)
            .thenComparing(MetricCell::areaType).thenComparing(MetricCell::areaCode)
            .thenComparing(MetricCell::dimension, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(MetricCell::dimensionValue, Comparator.nullsFirst(Comparator.naturalOrder()));

    public MetricCell {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(areaType, "areaType");
        Objects.requireNonNull(areaCode, "areaCode");
        Objects.requireNonNull(periodType, "periodType");
        Objects.requireNonNull(period, "period");
    }

    public static MetricCell of(final AreaMetric metric) {
        return new MetricCell(metric.getMetric(), metric.getDimension(), metric.getDimensionValue(),
                metric.getAreaType(), metric.getAreaCode(), metric.getPeriodType(), metric.getPeriod());
    }

    public static MetricCell of(final AreaMetricKey key) {
        return new MetricCell(key.getMetric(), key.getDimension(), key.getDimensionValue(), key.getAreaType(),
                key.getAreaCode(), key.getPeriodType(), key.getPeriod());
    }

    public AreaMetricKey toKey() {
        return AreaMetricKey.newBuilder().setMetric(metric).setDimension(dimension).setDimensionValue(dimensionValue)
                .setAreaType(areaType).setAreaCode(areaCode).setPeriodType(periodType).setPeriod(period).build();
    }

    /** The family a metric belongs to: the part of its name before the first dot ({@code asb}, {@code idva}). */
    public String family() {
        final int dot = metric.indexOf('.');
        return dot < 0 ? metric : metric.substring(0, dot);
    }

    public boolean isTotal() {
        return dimension == null;
    }

    public MetricCell withMetric(final String name) {
        return new MetricCell(name, dimension, dimensionValue, areaType, areaCode, periodType, period);
    }

    public MetricCell withDimension(final String name, final String value) {
        return new MetricCell(metric, name, value, areaType, areaCode, periodType, period);
    }

    public MetricCell withArea(final AreaType type, final String code) {
        return new MetricCell(metric, dimension, dimensionValue, type, code, periodType, period);
    }

    public MetricCell withPeriod(final String label) {
        return new MetricCell(metric, dimension, dimensionValue, areaType, areaCode, periodType, label);
    }
}
