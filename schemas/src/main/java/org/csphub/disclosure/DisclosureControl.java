package org.csphub.disclosure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.csphub.config.HubConfig;
import org.csphub.contracts.Column;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FamilySpec;
import org.csphub.contracts.FeedContract;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.topics.FeedCatalog;

/**
 * Statistical disclosure control of published metrics, by the policy each feed's contract declares
 * ({@link FeedDisclosure}): open, a threshold, or withholding and rounding; a feed without one has the
 * configured threshold ({@code disclosure.threshold}).
 *
 * <ul>
 *   <li>Primary suppression: a count its policy withholds (from 1 up to the policy's limit; 0 is shown).</li>
 *   <li>Secondary suppression, wherever a policy withholds: where a total and all but one of its parts
 *       would be visible, the smallest visible non-zero part is withheld too (and the total itself
 *       when no such part is left); where a total is withheld and all its parts are visible, the
 *       smallest non-zero part is withheld. Totals and parts are a category total and its categories
 *       (same metric, area and period), a category and the categories grouped within it (an offence
 *       group and its subgroups), a district and its wards, and the partnership area and its districts.
 *       Applied until nothing changes, since withholding a district can expose it through its wards.
 *       The groups are visited in the order of their cells' keys, never in the order the values came
 *       in, so the same values give the same withheld cells in every output, whichever order each read
 *       them in and whatever other periods it read with them (groups never span two periods).</li>
 *   <li>Rounding: a count shown under a rounding policy is rounded to its base.</li>
 *   <li>Rates, shares, projections and changes follow the counts they are built on, as the contract
 *       derives them: withheld where one of those is withheld or would be by its policy, and worked out
 *       again from the counts as shown where one of those is rounded.</li>
 * </ul>
 *
 * <p>A withheld value comes back with {@code value}, {@code numerator} and {@code denominator} null
 * and {@code suppressed} true. Everything else is returned unchanged.
 */
public final class DisclosureControl {

    public static final int DEFAULT_THRESHOLD = 5;
    private static final String CHANGE = ".change_";

    private final Map<String, FamilyRules> families = new LinkedHashMap<>();
    private final DisclosurePolicy fallback;
    private final Function<String, Optional<String>> districtOfWard;

    /**
     * Every family under one threshold, whatever its contract declares; the shipped feeds' contracts
     * say how their rates and changes are derived.
     *
     * @param threshold      the smallest count shown (1 shows every count)
     * @param districtOfWard the district code of a ward code, to group wards under their district
     */
    public DisclosureControl(final int threshold, final Function<String, Optional<String>> districtOfWard) {
        this(FeedCatalog.shipped(), policy(threshold), districtOfWard, false);
    }

    /**
     * Each family of {@code catalog} under its contract's policy, {@code fallback} where it declares none.
     *
     * @param districtOfWard the district code of a ward code, to group wards under their district
     */
    public DisclosureControl(final FeedCatalog catalog, final DisclosurePolicy fallback,
            final Function<String, Optional<String>> districtOfWard) {
        this(catalog, fallback, districtOfWard, true);
    }

    private DisclosureControl(final FeedCatalog catalog, final DisclosurePolicy fallback,
            final Function<String, Optional<String>> districtOfWard, final boolean declared) {
        this.fallback = fallback;
        this.districtOfWard = districtOfWard;
        for (final FeedContract contract : catalog.contracts()) {
            final FeedDisclosure disclosure = declared ? contract.disclosure().orElse(FeedDisclosure.of(fallback))
                    : FeedDisclosure.of(fallback);
            families.put(contract.family().name(), FamilyRules.of(contract, disclosure));
        }
    }

    /** Disclosure control of the configured feeds, each under its contract's policy or the configured threshold. */
    public static DisclosureControl of(final HubConfig config, final Geography geography) {
        return new DisclosureControl(FeedCatalog.of(config), policy(config.getInt(HubConfig.DISCLOSURE_THRESHOLD)),
                code -> geography.wardByCode(code).map(ward -> ward.district().code()));
    }

    private static DisclosurePolicy policy(final int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("The disclosure threshold must be 1 or more, not " + threshold);
        }
        return threshold == 1 ? new DisclosurePolicy.Open() : new DisclosurePolicy.Threshold(threshold);
    }

    /** The policy of a count cell: its feed's, or a stricter rule's that covers it. */
    public DisclosurePolicy policyOf(final MetricCell count) {
        final FamilyRules rules = families.get(count.family());
        return rules == null ? fallback : rules.disclosure().policyOf(count);
    }

    /** The policy a family's counts have where no stricter rule covers them. */
    public DisclosurePolicy familyPolicy(final String family) {
        final FamilyRules rules = families.get(family);
        return rules == null ? fallback : rules.disclosure().policy();
    }

    /**
     * The counts of a family whose contract this control knows: what its groups are made of, and what
     * the derived values of a period are built on in the periods they are compared with. Empty for a
     * family it knows no contract of.
     */
    public Optional<Set<String>> countsOf(final String family) {
        return Optional.ofNullable(families.get(family)).map(FamilyRules::counts);
    }

    /** Each family's disclosure as its contract declares it, or the configured threshold. */
    public Map<String, FeedDisclosure> disclosures() {
        final Map<String, FeedDisclosure> disclosures = new LinkedHashMap<>();
        families.forEach((family, rules) -> disclosures.put(family, rules.disclosure()));
        return disclosures;
    }

    /** The published version of {@code metrics}, in the same order. */
    public List<AreaMetric> apply(final Collection<AreaMetric> metrics) {
        final Map<MetricCell, AreaMetric> byCell = new LinkedHashMap<>();
        metrics.forEach(metric -> byCell.put(MetricCell.of(metric), metric));
        final Map<MetricCell, Boolean> withheld = new LinkedHashMap<>();

        final List<MetricCell> counts = byCell.keySet().stream().filter(cell -> isCount(cell, byCell.get(cell)))
                .sorted(MetricCell.ORDER).toList();
        counts.forEach(cell -> withheld.put(cell, byCell.get(cell).getSuppressed()
                || policyOf(cell).withholds(value(byCell.get(cell)))));
        final List<Group> groups = groups(counts);
        // how many parts of each group are withheld, kept up to date as cells are withheld, so that a
        // sweep passes over a group that cannot give anything away without looking at its parts
        final Map<MetricCell, List<Integer>> groupsOfPart = new HashMap<>();
        final int[] hiddenParts = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            for (final MetricCell part : groups.get(g).parts()) {
                groupsOfPart.computeIfAbsent(part, key -> new ArrayList<>(2)).add(g);
                if (withheld.get(part)) {
                    hiddenParts[g]++;
                }
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int g = 0; g < groups.size(); g++) {
                final Group group = groups.get(g);
                final boolean totalHidden = withheld.get(group.total());
                if (totalHidden ? hiddenParts[g] != 0 : hiddenParts[g] != 1) {
                    continue;
                }
                final Optional<MetricCell> newlyWithheld = protect(group, byCell, withheld, totalHidden);
                if (newlyWithheld.isPresent()) {
                    changed = true;
                    groupsOfPart.getOrDefault(newlyWithheld.get(), List.of()).forEach(of -> hiddenParts[of]++);
                }
            }
        }

        final List<AreaMetric> published = new ArrayList<>(metrics.size());
        for (final AreaMetric metric : metrics) {
            final MetricCell cell = MetricCell.of(metric);
            if (withheld.containsKey(cell)) {
                published.add(withheld.get(cell) ? withhold(metric) : shownCount(cell, metric));
            } else {
                published.add(derived(cell, metric, withheld));
            }
        }
        return published;
    }

    private boolean isCount(final MetricCell cell, final AreaMetric metric) {
        final FamilyRules rules = families.get(cell.family());
        if (rules != null && (rules.counts().contains(cell.metric()) || rules.derivations().containsKey(cell.metric()))) {
            return rules.counts().contains(cell.metric());
        }
        return !cell.metric().contains(CHANGE) && metric.getNumerator() == null && metric.getDenominator() == null;
    }

    private AreaMetric shownCount(final MetricCell cell, final AreaMetric metric) {
        final DisclosurePolicy policy = policyOf(cell);
        if (!(policy instanceof DisclosurePolicy.Round) || metric.getValue() == null) {
            return metric;
        }
        return AreaMetric.newBuilder(metric).setValue(policy.shown(metric.getValue())).build();
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
                enclosing(cell).filter(present::contains).ifPresent(group -> parts.computeIfAbsent(group,
                        key -> new ArrayList<>()).add(cell));
            }
            parentArea(cell, present, partnership).ifPresent(parent -> parts.computeIfAbsent(parent,
                    key -> new ArrayList<>()).add(cell));
        }
        // the same total may head a category group, a nested group and an area group: keep them apart
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

    /** The category a category is grouped within (an offence subgroup's offence group), if its contract says so. */
    private Optional<MetricCell> enclosing(final MetricCell cell) {
        final FamilyRules rules = families.get(cell.family());
        if (rules == null) {
            return Optional.empty();
        }
        final Nesting nesting = rules.nestings().get(cell.dimension());
        if (nesting == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(nesting.groupOf().get(cell.dimensionValue()))
                .map(group -> cell.withDimension(nesting.parentDimension(), group));
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

    /**
     * Withholds one more cell of a group that would otherwise reveal a withheld one (its one withheld
     * part, or its withheld total with every part shown): the smallest part above zero, else the total.
     * Returns the cell it withheld.
     */
    private Optional<MetricCell> protect(final Group group, final Map<MetricCell, AreaMetric> byCell,
            final Map<MetricCell, Boolean> withheld, final boolean totalHidden) {
        final Optional<MetricCell> next = group.parts().stream()
                .filter(part -> !withheld.get(part) && value(byCell.get(part)) > 0)
                .min(Comparator.comparingDouble((MetricCell part) -> value(byCell.get(part)))
                        .thenComparing(MetricCell::toString));
        if (next.isPresent()) {
            withheld.put(next.get(), true);
            return next;
        }
        if (!totalHidden) {
            withheld.put(group.total(), true);
            return Optional.of(group.total());
        }
        return Optional.empty();
    }

    private static double value(final AreaMetric metric) {
        return metric.getValue() == null ? 0 : metric.getValue();
    }

    /** A rate, share, projection or change: withheld, worked out from rounded counts, or as it is. */
    private AreaMetric derived(final MetricCell cell, final AreaMetric metric, final Map<MetricCell, Boolean> withheld) {
        if (metric.getSuppressed()) {
            return withhold(metric);
        }
        final FamilyRules rules = families.get(cell.family());
        final Derivation derivation = rules == null ? null : rules.derivations().get(cell.metric());
        if (derivation == null) {
            // a value no contract derives: its numerator and denominator are the counts it shows
            final DisclosurePolicy policy = familyPolicy(cell.family());
            return policy.withholds(orZero(metric.getNumerator())) || policy.withholds(orZero(metric.getDenominator()))
                    ? withhold(metric) : metric;
        }
        final MetricCell top = derivation.numeratorCell(cell);
        final Optional<MetricCell> below = derivation.denominatorCell(cell, districtOfWard);
        final boolean hide = hidden(top, metric.getNumerator(), withheld)
                || below.map(source -> hidden(source, metric.getDenominator(), withheld)).orElse(false);
        if (hide) {
            return withhold(metric);
        }
        final boolean rounded = policyOf(top) instanceof DisclosurePolicy.Round
                || below.map(source -> policyOf(source) instanceof DisclosurePolicy.Round).orElse(false);
        if (!rounded || metric.getNumerator() == null || metric.getDenominator() == null) {
            return metric;
        }
        final long numerator = (long) policyOf(top).shown(metric.getNumerator());
        final long denominator = below.map(source -> (long) policyOf(source).shown(metric.getDenominator()))
                .orElse(metric.getDenominator());
        return AreaMetric.newBuilder(metric).setValue(derivation.value(numerator, denominator))
                .setNumerator(numerator).setDenominator(denominator).build();
    }

    /** Whether a count a derived value is built on is withheld: as worked out, or by its policy on the value carried. */
    private boolean hidden(final MetricCell source, final Long carried, final Map<MetricCell, Boolean> withheld) {
        return withheld.getOrDefault(source, false) || carried != null && policyOf(source).withholds(carried);
    }

    private static double orZero(final Long value) {
        return value == null ? 0 : value;
    }

    /** A breakdown whose values are grouped within another breakdown's: an offence subgroup within its group. */
    private record Nesting(String parentDimension, Map<String, String> groupOf) {
    }

    /** What disclosure control needs of one family's contract. */
    private record FamilyRules(FeedDisclosure disclosure, Set<String> counts, Map<String, Derivation> derivations,
            Map<String, Nesting> nestings) {

        static FamilyRules of(final FeedContract contract, final FeedDisclosure disclosure) {
            final FamilySpec family = contract.family();
            final Set<String> counts = new LinkedHashSet<>();
            final Map<String, Derivation> derivations = new LinkedHashMap<>();
            for (final FamilySpec.Count count : family.counts()) {
                counts.add(count.name());
                for (final Derivation.Kind kind : List.of(Derivation.Kind.CHANGE_PREVIOUS,
                        Derivation.Kind.CHANGE_PREVIOUS_PCT, Derivation.Kind.CHANGE_YEAR,
                        Derivation.Kind.CHANGE_YEAR_PCT)) {
                    derivations.put(count.name() + CHANGE + kind.name().substring("CHANGE_".length())
                            .toLowerCase(Locale.ROOT), new Derivation(kind, count.name(), count.name()));
                }
            }
            family.rates().forEach(rate -> derivations.put(rate.name(),
                    new Derivation(Derivation.Kind.RATE, rate.numerator(), rate.denominator())));
            family.wardShare().ifPresent(share -> derivations.put(share, new Derivation(Derivation.Kind.WARD_SHARE,
                    family.counts().get(0).name(), family.counts().get(0).name())));
            family.projection().ifPresent(projection -> derivations.put(projection.name(),
                    new Derivation(Derivation.Kind.PROJECTION, projection.of(), null)));
            family.perThousandResidents().forEach(rate -> derivations.put(rate.name(),
                    new Derivation(Derivation.Kind.PER_THOUSAND_RESIDENTS, rate.count(), null)));
            final Map<String, Nesting> nestings = new LinkedHashMap<>();
            for (final FamilySpec.Breakdown breakdown : family.breakdowns()) {
                final Column column = contract.columns().stream()
                        .filter(candidate -> candidate.name().equals(breakdown.column())).findFirst().orElseThrow();
                if (column.type() instanceof ColumnType.Enum type && type.within().isPresent()) {
                    final ColumnType.Within within = type.within().get();
                    family.breakdowns().stream().filter(parent -> parent.column().equals(within.column()))
                            .findFirst().ifPresent(parent -> {
                                final Map<String, String> groupOf = new LinkedHashMap<>();
                                within.groups().forEach((group, values) -> values.forEach(value ->
                                        groupOf.put(value, group)));
                                nestings.put(breakdown.dimension(), new Nesting(parent.dimension(), groupOf));
                            });
                }
            }
            return new FamilyRules(disclosure, counts, derivations, nestings);
        }
    }
}
