package org.csphub.streams.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/**
 * One question to the metric stores: a metric, optionally narrowed to an area, a breakdown, a
 * period type and a range of periods ({@code from} and {@code to} inclusive, written as the periods
 * are, or as the end month for ROLLING_12M). Without a {@code dimension} only totals are answered;
 * {@code dimension=category} answers every category, {@code dimension_value} one of them.
 */
public record MetricQuery(String metric, Optional<String> area, Optional<AreaType> areaType,
        Optional<String> dimension, Optional<String> dimensionValue, Optional<PeriodType> periodType,
        Optional<String> from, Optional<String> to) {

    private static final String ROLLING_PREFIX = "12m to ";

    /** A query from HTTP query parameters. */
    public static MetricQuery of(final Function<String, String> parameter) {
        final String metric = parameter.apply("metric");
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("'metric' is required, e.g. metric=asb.incidents");
        }
        if (!metric.contains(".")) {
            throw new IllegalArgumentException("'metric' names a metric of docs/metrics.md, such as asb.incidents, "
                    + "not '" + metric + "'");
        }
        return new MetricQuery(metric.trim(), text(parameter, "area"),
                text(parameter, "area_type").map(value -> parseEnum(AreaType.class, "area_type", value)),
                text(parameter, "dimension"), text(parameter, "dimension_value"),
                text(parameter, "period_type").map(value -> parseEnum(PeriodType.class, "period_type", value)),
                text(parameter, "from"), text(parameter, "to"));
    }

    /** The family whose store holds the metric: the part of its name before the first dot. */
    public String family() {
        return metric.substring(0, metric.indexOf('.'));
    }

    public boolean matches(final AreaMetric value) {
        return value.getMetric().equals(metric)
                && area.map(code -> code.equalsIgnoreCase(value.getAreaCode())).orElse(true)
                && areaType.map(type -> type == value.getAreaType()).orElse(true)
                && dimension.map(name -> name.equals(value.getDimension())).orElse(value.getDimension() == null)
                && dimensionValue.map(name -> name.equals(value.getDimensionValue())).orElse(true)
                && periodType.map(type -> type == value.getPeriodType()).orElse(true)
                && from.map(start -> sortable(start).compareTo(sortable(value.getPeriod())) <= 0).orElse(true)
                && to.map(end -> sortable(end).compareTo(sortable(value.getPeriod())) >= 0).orElse(true);
    }

    /** A period label in an order that sorts chronologically within a period type. */
    public static String sortable(final String period) {
        return period.startsWith(ROLLING_PREFIX) ? period.substring(ROLLING_PREFIX.length()) : period;
    }

    /** This query narrowed to one period type. */
    public MetricQuery withPeriodType(final PeriodType type) {
        return new MetricQuery(metric, area, areaType, dimension, dimensionValue, Optional.of(type), from, to);
    }

    /** This query as URL query parameters, to ask another instance. */
    public String queryString() {
        final Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("metric", metric);
        area.ifPresent(value -> parameters.put("area", value));
        areaType.ifPresent(value -> parameters.put("area_type", value.name()));
        dimension.ifPresent(value -> parameters.put("dimension", value));
        dimensionValue.ifPresent(value -> parameters.put("dimension_value", value));
        periodType.ifPresent(value -> parameters.put("period_type", value.name()));
        from.ifPresent(value -> parameters.put("from", value));
        to.ifPresent(value -> parameters.put("to", value));
        return parameters.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Optional<String> text(final Function<String, String> parameter, final String name) {
        return Optional.ofNullable(parameter.apply(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static <E extends Enum<E>> E parseEnum(final Class<E> type, final String name, final String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()) + ", not '" + value + "'", e);
        }
    }
}
