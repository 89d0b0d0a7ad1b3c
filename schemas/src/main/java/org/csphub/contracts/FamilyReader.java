package org.csphub.contracts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.csphub.contracts.FamilySpec.Breakdown;
import org.csphub.contracts.FamilySpec.Count;
import org.csphub.contracts.FamilySpec.Filter;
import org.csphub.contracts.FamilySpec.PerThousandResidents;
import org.csphub.contracts.FamilySpec.Projection;
import org.csphub.contracts.FamilySpec.Rate;
import org.csphub.contracts.FamilySpec.Repeat;
import org.csphub.metrics.AreaType;
import org.csphub.topics.Topics;
import org.csphub.yaml.LocatedYaml.Entry;
import org.csphub.yaml.LocatedYaml.ListNode;
import org.csphub.yaml.LocatedYaml.MapNode;
import org.csphub.yaml.LocatedYaml.Node;
import org.csphub.yaml.LocatedYaml.Scalar;
import org.csphub.yaml.NodeReader;

/**
 * Reads a contract's {@code family} section once its columns are known, checking that every column,
 * breakdown and count it names exists and has a type that fits.
 */
final class FamilyReader {

    private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_]*");

    private final NodeReader nodes;
    private final Map<String, Column> columns;

    FamilyReader(final NodeReader nodes, final Map<String, Column> columns) {
        this.nodes = nodes;
        this.columns = columns;
    }

    FamilySpec family(final Entry entry) {
        final MapNode map = nodes.map(entry.value(), "family");
        nodes.allowOnly(map, "name", "topic", "period", "levels", "breakdowns", "counts", "rates", "ward_share",
                "projection", "per_1000_residents");
        final String name = nodes.matching(nodes.scalar(nodes.required(map, "name")), "family name",
                FeedContractReader.SLUG,
                "lower-case letters and digits, e.g. asb");
        final String topic = nodes.optional(map, "topic").map(topicEntry -> {
            final Scalar node = nodes.scalar(topicEntry);
            final String text = nodes.text(node, "topic");
            if (!text.equals(Topics.METRICS_PREFIX + name)) {
                throw nodes.refuse(node, "the family's metric topic is " + Topics.METRICS_PREFIX + name
                        + ", not '" + text + "'; the access file's rights rest on that name");
            }
            return text;
        }).orElse(Topics.METRICS_PREFIX + name);
        final Scalar periodNode = nodes.scalar(nodes.required(map, "period"));
        final Column period = existing(periodNode, "the family's period");
        if (!(period.type() instanceof ColumnType.Date || period.type() instanceof ColumnType.DateTime)
                || period.mayBeBlank()) {
            throw nodes.refuse(periodNode, "the period comes from a required date or datetime column, and '"
                    + period.name() + "' is " + period.describe());
        }
        final List<AreaType> levels = levels(nodes.required(map, "levels"), EnumSet.allOf(AreaType.class));
        final Column area = columns.values().stream().filter(c -> c.type() instanceof ColumnType.Area).findFirst()
                .orElseThrow(() -> nodes.refuse(map, "no column has type area; a family publishes by area"));
        if (levels.contains(AreaType.WARD) && !((ColumnType.Area) area.type()).hasWards()) {
            throw nodes.refuse(nodes.required(map, "levels").value(), "level ward needs an area given as a ward, and '"
                    + area.name() + "' is given as district only");
        }
        if (area.mayBeBlank() && !levels.contains(AreaType.CSP)) {
            throw nodes.refuse(nodes.required(map, "levels").value(), "a record without an area counts only in the "
                    + "partnership, and '" + area.name() + "' may be blank; add the level csp");
        }
        final List<Breakdown> breakdowns = new ArrayList<>();
        nodes.optional(map, "breakdowns").ifPresent(breakdownsEntry -> {
            for (final Node item : nodes.list(breakdownsEntry.value(), "breakdowns").items()) {
                breakdowns.add(breakdown(item, breakdowns));
            }
        });
        final Set<String> metrics = new LinkedHashSet<>();
        final List<Count> counts = counts(nodes.required(map, "counts"), name, breakdowns, metrics);
        final List<Rate> rates = new ArrayList<>();
        nodes.optional(map, "rates").ifPresent(ratesEntry -> {
            for (final Node item : nodes.list(ratesEntry.value(), "rates").items()) {
                rates.add(rate(nodes.map(item, "a rate"), name, counts, breakdowns, metrics));
            }
        });
        final List<PerThousandResidents> perThousand = new ArrayList<>();
        nodes.optional(map, "per_1000_residents").ifPresent(perEntry -> {
            for (final Node item : nodes.list(perEntry.value(), "per_1000_residents").items()) {
                perThousand.add(perThousand(nodes.map(item, "a count per 1,000 residents"), name, counts, breakdowns,
                        metrics));
            }
        });
        final Optional<String> wardShare = nodes.optional(map, "ward_share").map(shareEntry -> {
            final Scalar node = nodes.scalar(shareEntry);
            if (!levels.contains(AreaType.WARD) || !levels.contains(AreaType.DISTRICT)) {
                throw nodes.refuse(node, "a ward share needs the levels ward and district");
            }
            return metricName(node, name, metrics);
        });
        final Optional<Projection> projection = nodes.optional(map, "projection")
                .map(projectionEntry -> projection(projectionEntry, name, counts, levels, metrics));
        return new FamilySpec(name, topic, period.name(), levels, breakdowns, counts, rates, wardShare, projection,
                perThousand);
    }

    private List<AreaType> levels(final Entry entry, final Set<AreaType> allowed) {
        final ListNode list = nodes.list(entry.value(), entry.key());
        if (list.items().isEmpty()) {
            throw nodes.refuse(list, "no level is listed; give some of ward, district, csp");
        }
        final List<AreaType> levels = new ArrayList<>();
        for (final Node item : list.items()) {
            final Scalar node = nodes.scalar(item);
            final String text = nodes.text(node, "level");
            final AreaType level = Arrays.stream(AreaType.values())
                    .filter(type -> type.name().equalsIgnoreCase(text) && allowed.contains(type)).findFirst()
                    .orElseThrow(() -> nodes.refuse(node, "unknown level '" + text + "'; valid levels are "
                            + String.join(", ", allowed.stream().map(t -> t.name().toLowerCase(Locale.ROOT))
                                    .toList())));
            if (levels.contains(level)) {
                throw nodes.refuse(node, "level " + text + " is listed twice");
            }
            levels.add(level);
        }
        return levels;
    }

    private Breakdown breakdown(final Node item, final List<Breakdown> earlier) {
        final MapNode map;
        final Scalar columnNode;
        if (item instanceof Scalar scalar) {
            map = null;
            columnNode = scalar;
        } else {
            map = nodes.map(item, "a breakdown");
            nodes.allowOnly(map, "column", "where", "missing");
            columnNode = nodes.scalar(nodes.required(map, "column"));
        }
        final Column column = existing(columnNode, "a breakdown");
        if (!(column.type() instanceof ColumnType.Enum || column.type() instanceof ColumnType.Age)) {
            throw nodes.refuse(columnNode, "a breakdown is by an enum or age column, and '" + column.name() + "' is "
                    + column.describe());
        }
        if (earlier.stream().anyMatch(breakdown -> breakdown.column().equals(column.name()))) {
            throw nodes.refuse(columnNode, "the breakdown by '" + column.name() + "' is listed twice");
        }
        if (map == null) {
            return new Breakdown(column.name(), column.field(), Filter.ALL, null);
        }
        final Filter where = nodes.optional(map, "where").map(entry -> filter(entry, "the breakdown by '"
                + column.name() + "'")).orElse(Filter.ALL);
        final String missing = nodes.optional(map, "missing")
                .map(entry -> nodes.matching(nodes.scalar(entry), "missing", FeedContractReader.AVRO_NAME,
                        "a value such as UNKNOWN"))
                .orElse(null);
        return new Breakdown(column.name(), column.field(), where, missing);
    }

    private List<Count> counts(final Entry entry, final String family, final List<Breakdown> breakdowns,
            final Set<String> metrics) {
        final ListNode list = nodes.list(entry.value(), "counts");
        if (list.items().isEmpty()) {
            throw nodes.refuse(list, "no count is listed; the first count counts every record");
        }
        final List<Count> counts = new ArrayList<>();
        for (final Node item : list.items()) {
            final MapNode map = nodes.map(item, "a count");
            nodes.allowOnly(map, "name", "where", "sum", "repeat", "by", "published");
            final String name = metricName(nodes.scalar(nodes.required(map, "name")), family, metrics);
            final String what = "count '" + name + "'";
            final Filter where = nodes.optional(map, "where").map(whereEntry -> filter(whereEntry, what))
                    .orElse(Filter.ALL);
            final Optional<String> sum = nodes.optional(map, "sum").map(sumEntry -> {
                final Scalar node = nodes.scalar(sumEntry);
                final Column column = existing(node, what);
                if (!(column.type() instanceof ColumnType.Integer)) {
                    throw nodes.refuse(node, what + " sums '" + column.name() + "', " + column.describe()
                            + "; a sum is of an integer column");
                }
                return column.name();
            });
            final Optional<Repeat> repeat = nodes.optional(map, "repeat").map(repeatEntry -> repeat(repeatEntry, what));
            // the family builder keeps one table of each person's records and passes one repeat flag per record
            final Optional<Count> otherRepeat = counts.stream().filter(count -> count.repeat().isPresent()
                    && !count.repeat().equals(repeat)).findFirst();
            if (repeat.isPresent() && otherRepeat.isPresent()) {
                throw nodes.refuse(nodes.required(map, "repeat").value(), what + " finds repeats otherwise than count '"
                        + otherRepeat.get().name() + "'; a family has one definition of a repeat");
            }
            if (sum.isPresent() && repeat.isPresent()) {
                throw nodes.refuse(map, what + " is both a sum and a repeat; make it one or the other");
            }
            final List<String> by = by(map, what, breakdowns);
            final boolean published = nodes.optional(map, "published")
                    .map(publishedEntry -> nodes.yesNo(nodes.scalar(publishedEntry), "published"))
                    .orElse(true);
            if (counts.isEmpty() && (!where.isAll() || sum.isPresent() || repeat.isPresent() || !published)) {
                throw nodes.refuse(item, "the first count must count every record and be published (no where, sum"
                        + " or repeat): a series exists while it is above zero, and a ward share divides it");
            }
            counts.add(new Count(name, where, sum, repeat, by, published));
        }
        return counts;
    }

    private Repeat repeat(final Entry entry, final String what) {
        final MapNode map = nodes.map(entry.value(), "repeat");
        nodes.allowOnly(map, "person", "within_months");
        final Scalar personNode = nodes.scalar(nodes.required(map, "person"));
        final Column person = existing(personNode, what);
        if (!(person.type() instanceof ColumnType.PersonRef)) {
            throw nodes.refuse(personNode, what + " finds repeats by '" + person.name() + "', " + person.describe()
                    + "; repeats are found by a person_ref column");
        }
        final int within = nodes.whole(nodes.scalar(nodes.required(map, "within_months")), "within_months", 1, 120);
        return new Repeat(person.name(), within);
    }

    private Rate rate(final MapNode map, final String family, final List<Count> counts,
            final List<Breakdown> breakdowns, final Set<String> metrics) {
        nodes.allowOnly(map, "name", "numerator", "denominator", "by");
        final String name = metricName(nodes.scalar(nodes.required(map, "name")), family, metrics);
        final String what = "rate '" + name + "'";
        final String numerator = count(nodes.scalar(nodes.required(map, "numerator")), what, counts);
        final String denominator = count(nodes.scalar(nodes.required(map, "denominator")), what, counts);
        return new Rate(name, numerator, denominator, by(map, what, breakdowns));
    }

    private PerThousandResidents perThousand(final MapNode map, final String family, final List<Count> counts,
            final List<Breakdown> breakdowns, final Set<String> metrics) {
        nodes.allowOnly(map, "name", "count", "by");
        final String name = metricName(nodes.scalar(nodes.required(map, "name")), family, metrics);
        final String what = "count per 1,000 residents '" + name + "'";
        final Scalar countNode = nodes.scalar(nodes.required(map, "count"));
        final String count = count(countNode, what, counts);
        final Count of = counts.stream().filter(c -> c.name().equals(count)).findFirst().orElseThrow();
        if (!of.published()) {
            throw nodes.refuse(countNode, what + " is of '" + count + "', which is not published; disclosure control"
                    + " withholds a rate per resident with its count, so the count must be published");
        }
        final List<String> by = by(map, what, breakdowns);
        final Optional<String> unpublished = by.stream().filter(column -> !of.by().contains(column)).findFirst();
        if (unpublished.isPresent()) {
            throw nodes.refuse(nodes.required(map, "by").value(), what + " is broken down by '" + unpublished.get()
                    + "', and its count '" + count + "' is not; it is by " + (of.by().isEmpty() ? "no breakdown"
                    : String.join(", ", of.by())));
        }
        return new PerThousandResidents(name, count, by);
    }

    private Projection projection(final Entry entry, final String family, final List<Count> counts,
            final List<AreaType> familyLevels, final Set<String> metrics) {
        final MapNode map = nodes.map(entry.value(), "projection");
        nodes.allowOnly(map, "name", "of", "levels");
        final String name = metricName(nodes.scalar(nodes.required(map, "name")), family, metrics);
        final String of = count(nodes.scalar(nodes.required(map, "of")), "projection '" + name + "'", counts);
        final List<AreaType> levels = levels(nodes.required(map, "levels"), EnumSet.copyOf(familyLevels));
        return new Projection(name, of, levels);
    }

    private String count(final Scalar node, final String what, final List<Count> counts) {
        final String name = nodes.text(node, "count");
        if (counts.stream().noneMatch(count -> count.name().equals(name))) {
            throw nodes.refuse(node, what + " refers to '" + name + "', which is not a count; counts are "
                    + String.join(", ", counts.stream().map(Count::name).toList()));
        }
        return name;
    }

    private List<String> by(final MapNode map, final String what, final List<Breakdown> breakdowns) {
        final List<String> by = new ArrayList<>();
        final Optional<Entry> entry = nodes.optional(map, "by");
        if (entry.isEmpty()) {
            return by;
        }
        for (final Node item : nodes.list(entry.get().value(), "by").items()) {
            final Scalar node = nodes.scalar(item);
            final Column column = existing(node, what);
            if (breakdowns.stream().noneMatch(breakdown -> breakdown.column().equals(column.name()))) {
                throw nodes.refuse(node, what + " is broken down by '" + column.name() + "', which is not one of the"
                        + " family's breakdowns (" + String.join(", ", breakdowns.stream().map(Breakdown::column)
                                .toList()) + ")");
            }
            if (by.contains(column.name())) {
                throw nodes.refuse(node, what + " lists '" + column.name() + "' twice");
            }
            by.add(column.name());
        }
        return by;
    }

    /** {@code column: value} or {@code column: [value, ...]}, each column a yes/no or an enum. */
    private Filter filter(final Entry entry, final String what) {
        final MapNode map = nodes.map(entry.value(), "where");
        if (map.entries().isEmpty()) {
            throw nodes.refuse(map, what + " has an empty where; leave it out to take every record");
        }
        final Map<String, Set<String>> conditions = new LinkedHashMap<>();
        for (final Entry condition : map.entries().values()) {
            final Column column = columns.get(condition.key());
            if (column == null) {
                throw nodes.refuse(condition, what + " filters on '" + condition.key() + "', which is not a column;"
                        + " columns are " + String.join(", ", columns.keySet()));
            }
            final Set<String> values = new LinkedHashSet<>();
            switch (column.type()) {
                case ColumnType.YesNo yesNo -> values.add(nodes.yesNo(nodes.scalar(condition.value()),
                        "the filter on '" + column.name() + "'") ? "yes" : "no");
                case ColumnType.Enum enumeration -> {
                    final List<Node> items = condition.value() instanceof ListNode list ? list.items()
                            : List.of(nodes.scalar(condition.value()));
                    for (final Node item : items) {
                        final Scalar node = nodes.scalar(item);
                        final String value = nodes.text(node, "the filter on '" + column.name() + "'");
                        if (!enumeration.values().contains(value)) {
                            throw nodes.refuse(node, "'" + value + "' is not a value of '" + column.name()
                                    + "'; valid values are " + String.join(", ", enumeration.values()));
                        }
                        values.add(value);
                    }
                }
                default -> throw nodes.refuse(condition, what + " filters on '" + column.name() + "', "
                        + column.describe() + "; a filter takes a yes/no column (engaged: yes) or an enum column"
                        + " (category: NUISANCE, or a list of values)");
            }
            conditions.put(column.name(), values);
        }
        return new Filter(conditions);
    }

    private String metricName(final Scalar node, final String family, final Set<String> metrics) {
        final String name = nodes.text(node, "metric name");
        final String prefix = family + ".";
        if (!name.startsWith(prefix) || !METRIC.matcher(name.substring(prefix.length())).matches()) {
            throw nodes.refuse(node, "metric name '" + name + "' must be the family's name, a dot and lower-case"
                    + " letters, digits and underscores, e.g. " + prefix + "incidents");
        }
        if (!metrics.add(name)) {
            throw nodes.refuse(node, "metric '" + name + "' is defined twice");
        }
        return name;
    }

    private Column existing(final Scalar node, final String what) {
        return FeedContractReader.existing(nodes, columns, node, what);
    }
}
