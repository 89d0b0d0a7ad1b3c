package org.csphub.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A metric value as flat columns named after the AreaMetric schema's fields, in its order: the shape
 * every tabular output shares (query answers, extracts). Enums become their names; {@code updated_at}
 * stays an {@link java.time.Instant} for each output to write as it needs.
 */
public final class MetricColumns {

    private MetricColumns() {
    }

    public static Map<String, Object> of(final AreaMetric metric) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("metric", metric.getMetric());
        row.put("dimension", metric.getDimension());
        row.put("dimension_value", metric.getDimensionValue());
        row.put("area_type", metric.getAreaType().name());
        row.put("area_code", metric.getAreaCode());
        row.put("area_name", metric.getAreaName());
        row.put("period_type", metric.getPeriodType().name());
        row.put("period", metric.getPeriod());
        row.put("value", metric.getValue());
        row.put("numerator", metric.getNumerator());
        row.put("denominator", metric.getDenominator());
        row.put("suppressed", metric.getSuppressed());
        row.put("updated_at", metric.getUpdatedAt());
        return row;
    }
}
