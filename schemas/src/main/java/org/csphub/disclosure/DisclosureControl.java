package org.csphub.disclosure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.csphub.config.HubConfig;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;

/**
 * Statistical disclosure control of published metrics.
 *
 * <ul>
 *   <li>Primary suppression: a count from 1 to {@code threshold - 1} is withheld; 0 is shown.</li>
 *   <li>Secondary suppression: where a total and all but one of its parts would be visible, the
 *       smallest visible non-zero part is withheld too (and the total itself when no such part is
 *       left); where a total is withheld and all its parts are visible, the smallest non-zero part is
 *       withheld. Totals and parts are a category total and its categories (same metric, area and
 *       period), a district and its wards, and the partnership area and its districts. Applied until
 *       nothing changes, since withholding a district can expose it through its wards. The groups are
 *       visited in the order of their cells' keys, never in the order the values came in, so the same
 *       values give the same withheld cells in every output, whichever order each read them in and
 *       whatever other periods it read with them (groups never span two periods).</li>
 *   <li>A rate, share or projection is withheld when its numerator or denominator is a small count or
 *       when a count it is built on is withheld; a change is withheld when either of the counts it
 *       compares is.</li>
 * </ul>
 *
 * <p>A withheld value comes back with {@code value}, {@code numerator} and {@code denominator} null
 * and {@code suppressed} true. Everything else is returned unchanged.
 */
public final class DisclosureControl {

    public static final int DEFAULT_THRESHOLD = 5;
    private static final String CHANGE = ".change_";

    private final int threshold;
    private final Function<String, Optional<String>> districtOfWard;

    /**
     * @param threshold      the smallest count shown (1 shows every count)
     * @param districtOfWard the district code of a ward code, to group wards under their district
     */
    public DisclosureControl(final int threshold, final Function<String, Optional<String>> districtOfWard) {
        if (threshold < 1) {
            throw new IllegalArgumentException("The disclosure threshold must be 1 or more, not " + threshold);
        }
        this.threshold = threshold;
        this.districtOfWard = districtOfWard;
    }

    /** Disclosure control with the configured threshold over the given geography's wards. */
    public static DisclosureControl of(final HubConfig config, final Geography geography) {
        return new DisclosureControl(config.getInt(HubConfig.DISCLOSURE_THRESHOLD),
                code -> geography.wardByCode(code).map(ward -> ward.district().code()));
    }

    public int threshold() {
        return threshold;
    }

    /** How a withheld count is shown: {@code <5} for the default threshold. */
    public String withheldLabel() {
        return "<" + threshold;
    }

    /** The published version of {@code metrics}, in the same order. */
    public List<AreaMetric> apply(final Collection<AreaMetric> metrics) {
        final Map<MetricCell, AreaMetric> byCell = new LinkedHashMap<>();
        metrics.forEach(metric -> byCell.put(MetricCell.of(metric), metric));
        final Map<MetricCell, Boolean> withheld = new LinkedHashMap<>();

        final List<MetricCell> counts = byCell.keySet().stream().filter(cell -> isCount(cell, byCell.get(cell)))
                .sorted(MetricCell.ORDER).toList();
        counts.forEach(cell -> withheld.put(cell, byCell.get(cell).getSuppressed() || isSmall(byCell.get(cell)
                .getValue())));
        final List<Group> groups = groups(counts);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (final Group group : groups) {
                changed |= protect(group, byCell, withheld);
            }
        }

        final List<AreaMetric> published = new ArrayList<>(metrics.size());
        for (final AreaMetric metric : metrics) {
            final MetricCell cell = MetricCell.of(metric);
            final boolean hide = withheld.containsKey(cell) ? withheld.get(cell) : derivedWithheld(cell, metric,
                    withheld);
            published.add(hide ? withhold(metric) : metric);
        }
        return published;
    }

    private static boolean isCount(final MetricCell cell, final AreaMetric metric) {
        return !cell.metric().contains(CHANGE) && metric.getNumerator() == null && metric.getDenominator() == null;
    }

    private boolean isSmall(final Double value) {
        return value != null && value >= 1 && value < threshold;
    }

    private boolean isSmall(final Long value) {
        return value != null && value >= 1 && value < threshold;
    }

    private static AreaMetric withhold(final AreaMetric metric) {
        return AreaMetric.newBuilder(metric).setValue(null).setNumerator(null).setDenominator(null)
                .setSuppressed(true).build();
    }

    /** A total and the parts that add up to it. */
    private record Group(MetricCell total, List<MetricCell> parts) {
    }

    private List<Group> groups(final List<MetricCell> counts) {
        final Set<MetricCell> present = Set.copyOf(counts);
        // the partnership-wide cells, found by everything but their area code
        final Map<MetricCell, MetricCell> partnership = new LinkedHashMap<>();
        counts.stream().filter(cell -> cell.areaType() == AreaType.CSP)
                .forEach(cell -> partnership.putIfAbsent(cell.withArea(AreaType.CSP, ""), cell));
        final Map<MetricCell, List<MetricCell>> parts = new LinkedHashMap<>();
        for (final MetricCell cell : counts) {
            if (!cell.isTotal()) {
                final MetricCell total = cell.withDimension(null, null);
                if (present.contains(total)) {
                    parts.computeIfAbsent(total, key -> new ArrayList<>()).add(cell);
                }
            }
            parentArea(cell, present, partnership).ifPresent(parent -> parts.computeIfAbsent(parent,
                    key -> new ArrayList<>()).add(cell));
        }
        // the same total may head a category group and an area group: keep them apart
        final List<Group> groups = new ArrayList<>();
        parts.forEach((total, members) -> {
            final Map<Boolean, List<MetricCell>> byKind = members.stream()
                    .collect(Collectors.partitioningBy(member -> member.areaType() == total.areaType()));
            byKind.get(true).stream().collect(Collectors.groupingBy(MetricCell::dimension, LinkedHashMap::new,
                    Collectors.toList())).values().forEach(categories -> groups.add(new Group(total, categories)));
            if (!byKind.get(false).isEmpty()) {
                groups.add(new Group(total, byKind.get(false)));
            }
        });
        return groups;
    }

    private Optional<MetricCell> parentArea(final MetricCell cell, final Set<MetricCell> present,
            final Map<MetricCell, MetricCell> partnership) {
        if (cell.areaType() == AreaType.WARD) {
            return districtOfWard.apply(cell.areaCode()).map(code -> cell.withArea(AreaType.DISTRICT, code))
                    .filter(present::contains);
        }
        if (cell.areaType() == AreaType.DISTRICT) {
            return Optional.ofNullable(partnership.get(cell.withArea(AreaType.CSP, "")));
        }
        return Optional.empty();
    }

    /** Withholds one more cell of the group where the group would otherwise reveal a withheld one. */
    private boolean protect(final Group group, final Map<MetricCell, AreaMetric> byCell,
            final Map<MetricCell, Boolean> withheld) {
        final long hiddenParts = group.parts().stream().filter(withheld::get).count();
        final boolean totalHidden = withheld.get(group.total());
        if (!(totalHidden ? hiddenParts == 0 : hiddenParts == 1)) {
            return false;
        }
        final Optional<MetricCell> next = group.parts().stream()
                .filter(part -> !withheld.get(part) && value(byCell.get(part)) > 0)
                .min(Comparator.comparingDouble((MetricCell part) -> value(byCell.get(part)))
                        .thenComparing(MetricCell::toString));
        if (next.isPresent()) {
            withheld.put(next.get(), true);
            return true;
        }
        if (!totalHidden) {
            withheld.put(group.total(), true);
            return true;
        }
        return false;
    }

    private static double value(final AreaMetric metric) {
        return metric.getValue() == null ? 0 : metric.getValue();
    }

    private boolean derivedWithheld(final MetricCell cell, final AreaMetric metric,
            final Map<MetricCell, Boolean> withheld) {
        if (metric.getSuppressed() || isSmall(metric.getNumerator())) {
            return true;
        }
        final int change = cell.metric().indexOf(CHANGE);
        if (change >= 0) {
            final MetricCell base = cell.withMetric(cell.metric().substring(0, change));
            final Optional<String> compared = cell.metric().contains(".change_year")
                    ? Periods.yearEarlier(cell.periodType(), cell.period())
                    : Periods.previous(cell.periodType(), cell.period());
            return isSmall(metric.getDenominator()) || withheld.getOrDefault(base, false)
                    || compared.map(period -> withheld.getOrDefault(base.withPeriod(period), false)).orElse(false);
        }
        // a projection's denominator is months elapsed, not a count of people
        if (!"fire.projection".equals(cell.metric()) && isSmall(metric.getDenominator())) {
            return true;
        }
        return sources(cell).stream().anyMatch(source -> withheld.getOrDefault(source, false));
    }

    /** The counts a rate, share or projection of the catalogue is computed from. */
    private List<MetricCell> sources(final MetricCell cell) {
        return switch (cell.metric()) {
            case "asb.ward_share" -> wardShare(cell, "asb.incidents");
            case "ambulance.ward_share" -> wardShare(cell, "ambulance.callouts");
            case "idva.engagement_rate" -> List.of(cell.withMetric("idva.engaged"), cell.withMetric("idva.referrals"));
            case "idva.repeat_rate" -> List.of(cell.withMetric("idva.repeats"), cell.withMetric("idva.referrals"));
            case "fire.deliberate_share" -> List.of(
                    cell.withMetric("fire.fires").withDimension("cause", "DELIBERATE"),
                    cell.withMetric("fire.fires").withDimension(null, null));
            case "fire.projection" -> List.of(cell.withMetric("fire.fires").withDimension(null, null));
            default -> List.of();
        };
    }

    private List<MetricCell> wardShare(final MetricCell cell, final String count) {
        final MetricCell ward = cell.withMetric(count);
        final List<MetricCell> sources = new ArrayList<>(List.of(ward));
        districtOfWard.apply(cell.areaCode()).ifPresent(district -> sources.add(ward.withArea(AreaType.DISTRICT,
                district)));
        return sources;
    }
}
