package org.csphub.contracts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.csphub.disclosure.DisclosurePolicy;
import org.csphub.disclosure.FeedDisclosure;
import org.csphub.metrics.AreaType;
import org.csphub.yaml.LocatedYaml.Entry;
import org.csphub.yaml.LocatedYaml.MapNode;
import org.csphub.yaml.LocatedYaml.Node;
import org.csphub.yaml.LocatedYaml.Scalar;
import org.csphub.yaml.NodeReader;

/**
 * Reads a contract's {@code disclosure}: the feed's policy ({@code open}, {@code {threshold: 5}} or
 * {@code {round: {withhold_up_to: 7, base: 5}}}), or {@code {policy: ..., stricter: [...]}} where some
 * counts, breakdown values or levels are protected more strictly. A stricter rule names the family's
 * counts, breakdown columns, their values and levels, and must withhold at least what the feed does.
 */
final class DisclosureReader {

    private static final String POLICIES = "open, {threshold: N} (withhold 1 to N-1) or {round: {withhold_up_to: N,"
            + " base: B}} (withhold 1 to N, round the rest to B)";

    private final NodeReader nodes;
    private final FamilySpec family;
    private final Map<String, Column> columns;

    DisclosureReader(final NodeReader nodes, final FamilySpec family, final Map<String, Column> columns) {
        this.nodes = nodes;
        this.family = family;
        this.columns = columns;
    }

    FeedDisclosure disclosure(final Entry entry) {
        if (entry.value() instanceof MapNode map && map.entries().containsKey("policy")) {
            nodes.allowOnly(map, "policy", "stricter");
            final DisclosurePolicy policy = policy(nodes.required(map, "policy").value(), "disclosure");
            final List<FeedDisclosure.Stricter> stricter = new ArrayList<>();
            final Optional<Entry> rules = nodes.optional(map, "stricter");
            if (rules.isPresent()) {
                for (final Node item : nodes.list(rules.get().value(), "stricter").items()) {
                    stricter.add(stricter(nodes.map(item, "a stricter rule"), policy));
                }
            }
            return new FeedDisclosure(policy, stricter);
        }
        return FeedDisclosure.of(policy(entry.value(), "disclosure"));
    }

    /** {@code open}, {@code {threshold: N}} or {@code {round: {...}}}. */
    private DisclosurePolicy policy(final Node node, final String what) {
        if (node instanceof Scalar scalar) {
            if ("open".equals(scalar.text())) {
                return new DisclosurePolicy.Open();
            }
            throw nodes.refuse(scalar, what + " is " + POLICIES + ", not '" + scalar.text() + "'");
        }
        final MapNode map = nodes.map(node, what);
        if (map.entries().size() != 1) {
            throw nodes.refuse(map, what + " is " + POLICIES);
        }
        nodes.allowOnly(map, "threshold", "round");
        return ruled(map).orElseThrow();
    }

    /** The policy a map gives by its {@code threshold} or {@code round} key, if it has one. */
    private Optional<DisclosurePolicy> ruled(final MapNode map) {
        final Optional<Entry> threshold = nodes.optional(map, "threshold");
        final Optional<Entry> round = nodes.optional(map, "round");
        if (threshold.isPresent() && round.isPresent()) {
            throw nodes.refuse(round.get(), "a rule has one policy: threshold or round, not both");
        }
        if (threshold.isPresent()) {
            return Optional.of(new DisclosurePolicy.Threshold(nodes.whole(nodes.scalar(threshold.get()), "threshold",
                    2, 1000)));
        }
        if (round.isEmpty()) {
            return Optional.empty();
        }
        final MapNode rounding = nodes.map(round.get().value(), "round");
        nodes.allowOnly(rounding, "withhold_up_to", "base");
        return Optional.of(new DisclosurePolicy.Round(nodes.whole(nodes.scalar(nodes.required(rounding,
                "withhold_up_to")), "withhold_up_to", 1, 1000), nodes.whole(nodes.scalar(nodes.required(rounding,
                        "base")), "base", 2, 1000)));
    }

    private FeedDisclosure.Stricter stricter(final MapNode map, final DisclosurePolicy feed) {
        nodes.allowOnly(map, "counts", "values", "levels", "threshold", "round");
        final DisclosurePolicy policy = ruled(map).orElseThrow(() -> nodes.refuse(map,
                "a stricter rule needs its policy: threshold: N or round: {withhold_up_to: N, base: B}"));
        if (!policy.isStricterOrEqual(feed)) {
            final Entry at = nodes.optional(map, "threshold").orElseGet(() -> nodes.required(map, "round"));
            throw nodes.refuse(at, "a stricter rule must withhold at least what the feed's policy does ("
                    + feed.describe() + "), not " + policy.describe());
        }
        final Set<String> counts = new LinkedHashSet<>();
        final Optional<Entry> countsEntry = nodes.optional(map, "counts");
        if (countsEntry.isPresent()) {
            final List<String> known = family.counts().stream().map(FamilySpec.Count::name).toList();
            for (final Node item : nodes.list(countsEntry.get().value(), "counts").items()) {
                final Scalar node = nodes.scalar(item);
                final String name = nodes.text(node, "count");
                if (!known.contains(name)) {
                    throw nodes.refuse(node, "'" + name + "' is not a count of family " + family.name()
                            + "; its counts are " + String.join(", ", known));
                }
                counts.add(name);
            }
        }
        final Map<String, Set<String>> values = new LinkedHashMap<>();
        final Optional<Entry> valuesEntry = nodes.optional(map, "values");
        if (valuesEntry.isPresent()) {
            for (final Entry byColumn : nodes.map(valuesEntry.get().value(), "values").entries().values()) {
                values.put(dimension(byColumn), breakdownValues(byColumn));
            }
        }
        final Set<AreaType> levels = new LinkedHashSet<>();
        final Optional<Entry> levelsEntry = nodes.optional(map, "levels");
        if (levelsEntry.isPresent()) {
            for (final Node item : nodes.list(levelsEntry.get().value(), "levels").items()) {
                final Scalar node = nodes.scalar(item);
                final String text = nodes.text(node, "level");
                levels.add(family.levels().stream().filter(level -> level.name().equalsIgnoreCase(text)).findFirst()
                        .orElseThrow(() -> nodes.refuse(node, "unknown level '" + text + "'; family " + family.name()
                                + " publishes " + String.join(", ", family.levels().stream()
                                        .map(level -> level.name().toLowerCase(Locale.ROOT)).toList()))));
            }
        }
        return new FeedDisclosure.Stricter(counts, values, levels, policy);
    }

    /** The metrics' dimension of a breakdown column the family has. */
    private String dimension(final Entry byColumn) {
        final Optional<FamilySpec.Breakdown> breakdown = family.breakdowns().stream()
                .filter(candidate -> candidate.column().equals(byColumn.key())).findFirst();
        if (breakdown.isEmpty()) {
            throw nodes.refuse(byColumn, "'" + byColumn.key() + "' is not a breakdown of family " + family.name()
                    + (family.breakdowns().isEmpty() ? ", which has none; cover whole counts with counts"
                            : "; its breakdowns are " + String.join(", ", family.breakdowns().stream()
                                    .map(FamilySpec.Breakdown::column).toList())));
        }
        return breakdown.get().dimension();
    }

    private Set<String> breakdownValues(final Entry byColumn) {
        final Column column = columns.get(byColumn.key());
        if (!(column.type() instanceof ColumnType.Enum type)) {
            throw nodes.refuse(byColumn, "values of the " + column.type().label() + " column '" + column.name()
                    + "' cannot be named in a rule; name values of an enum breakdown, or cover the whole count "
                    + "with counts");
        }
        final Set<String> values = new LinkedHashSet<>();
        for (final Node item : nodes.list(byColumn.value(), "the values of " + byColumn.key()).items()) {
            final Scalar node = nodes.scalar(item);
            final String value = nodes.text(node, "a value of '" + column.name() + "'");
            if (!type.values().contains(value)) {
                throw nodes.refuse(node, "'" + value + "' is not a value of column '" + column.name()
                        + "'; valid values are " + String.join(", ", type.values()));
            }
            values.add(value);
        }
        return values;
    }
}
