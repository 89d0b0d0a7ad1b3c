package org.csphub.contracts;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csphub.contracts.ReportSpec.Area;
import org.csphub.contracts.ReportSpec.Bound;
import org.csphub.contracts.ReportSpec.Figure;
import org.csphub.contracts.ReportSpec.Kind;
import org.csphub.contracts.ReportSpec.Row;
import org.csphub.contracts.ReportSpec.Window;
import org.csphub.contracts.ReportSpec.Within;
import org.csphub.metrics.AreaType;
import org.csphub.yaml.LocatedYaml.Entry;
import org.csphub.yaml.LocatedYaml.ListNode;
import org.csphub.yaml.LocatedYaml.MapNode;
import org.csphub.yaml.LocatedYaml.Node;
import org.csphub.yaml.LocatedYaml.Scalar;
import org.csphub.yaml.NodeReader;

/**
 * Reads a contract's {@code report} block once its family is known, checking that every count, rate,
 * breakdown, value and placeholder it names exists, so that the report never meets a dangling name.
 */
final class ReportReader {

    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final List<String> COMMON_KEYS = List.of("kind", "id", "area", "text", "decimals");
    private static final Map<Kind, List<String>> KEYS = Map.of(
            Kind.TREND, List.of("count", "heading"),
            Kind.CHANGE, List.of("count", "by", "value", "window", "against"),
            Kind.SHARES, List.of("count", "by", "within", "values", "labels", "top", "window", "item"),
            Kind.WARDS, List.of("count", "window", "top", "chart", "heading", "item"),
            Kind.TOTAL, List.of("count", "counts", "window"),
            Kind.YEARS, List.of("count", "by", "values", "labels", "heading"),
            Kind.QUARTERS, List.of("count", "rows", "rates", "heading", "first_column"),
            Kind.DISTRICTS, List.of("count", "rate", "years", "heading"));
    /** The placeholders a kind's text may use, besides the common ones and the family's metrics. */
    private static final Map<Kind, List<String>> PLACEHOLDERS = Map.of(
            Kind.TREND, List.of("count", "count_before", "change"),
            Kind.CHANGE, List.of("count", "count_against", "change", "up", "against"),
            Kind.SHARES, List.of("count", "shares"),
            Kind.WARDS, List.of("count", "top"),
            Kind.TOTAL, List.of("count"),
            Kind.YEARS, List.of("count", "count_before", "change"),
            Kind.QUARTERS, List.of("count", "count_before", "change"),
            Kind.DISTRICTS, List.of("rate_top", "rate_years", "count_top", "count_years", "first_year",
                    "second_year"));
    private static final List<String> COMMON_PLACEHOLDERS = List.of("area", "year", "year_before", "window", "unit",
            "city", "partnership");

    private final NodeReader nodes;
    private final FamilySpec family;
    private final Map<String, Column> columns;

    ReportReader(final NodeReader nodes, final FamilySpec family, final Map<String, Column> columns) {
        this.nodes = nodes;
        this.family = family;
        this.columns = columns;
    }

    /** One section (a mapping) or several (a list of them). */
    List<ReportSpec> sections(final Entry entry) {
        if (entry.value() instanceof ListNode list) {
            if (list.items().isEmpty()) {
                throw nodes.refuse(list, "report lists no section; give one mapping with title and figures");
            }
            final List<ReportSpec> sections = new ArrayList<>();
            final Map<String, Integer> ids = new LinkedHashMap<>();
            for (final Node item : list.items()) {
                final ReportSpec section = section(item);
                if (ids.containsKey(section.section())) {
                    throw nodes.refuse(item, "section '" + section.section() + "' is given twice (first on line "
                            + ids.get(section.section()) + "); list its figures once");
                }
                ids.put(section.section(), item.line());
                sections.add(section);
            }
            return sections;
        }
        return List.of(section(entry.value()));
    }

    private ReportSpec section(final Node block) {
        final MapNode map = nodes.map(block, "report");
        nodes.allowOnly(map, "section", "title", "intro", "source", "unit", "figures");
        final String section = nodes.optional(map, "section").map(node -> nodes.matching(nodes.scalar(node),
                "section", ID, "lower-case letters, digits and single hyphens, e.g. wards")).orElse(family.name());
        final Optional<String> title = optionalText(map, "title");
        final Optional<String> intro = optionalText(map, "intro");
        final String source = optionalText(map, "source").orElse("");
        final String unit = optionalText(map, "unit").orElse("records");
        final Entry figuresEntry = nodes.required(map, "figures");
        final ListNode list = nodes.list(figuresEntry.value(), "figures");
        if (list.items().isEmpty()) {
            throw nodes.refuse(figuresEntry.value(), "no figure is listed; give at least one, e.g. - kind: trend");
        }
        final List<Figure> figures = new ArrayList<>();
        final Map<String, Integer> ids = new LinkedHashMap<>();
        for (final Node item : list.items()) {
            final MapNode figureMap = nodes.map(item, "a figure");
            final Figure figure = figure(figureMap, section, figures.size() + 1);
            if (ids.containsKey(figure.id())) {
                throw nodes.refuse(item, "figure id '" + figure.id() + "' is used twice (first on line "
                        + ids.get(figure.id()) + "); give each figure an id of its own");
            }
            ids.put(figure.id(), item.line());
            figures.add(figure);
        }
        return new ReportSpec(section, title, intro, source, unit, figures);
    }

    private Figure figure(final MapNode map, final String section, final int number) {
        final Scalar kindNode = nodes.scalar(nodes.required(map, "kind"));
        final String kindText = nodes.text(kindNode, "kind");
        final Kind kind = Arrays.stream(Kind.values()).filter(k -> k.key().equals(kindText)).findFirst()
                .orElseThrow(() -> nodes.refuse(kindNode, "figure kind '" + kindText + "' is unknown; kinds are "
                        + String.join(", ", Arrays.stream(Kind.values()).map(Kind::key).toList())));
        final List<String> keys = new ArrayList<>(COMMON_KEYS);
        keys.addAll(KEYS.get(kind));
        nodes.allowOnly(map, keys);
        final String id = nodes.optional(map, "id").map(node -> nodes.matching(nodes.scalar(node), "figure id", ID,
                "lower-case letters, digits and single hyphens, e.g. asb-monthly"))
                .orElse(section + "-" + kind.key() + "-" + number);
        final Area area = nodes.optional(map, "area").map(this::area).orElse(Area.CITY);
        final List<String> counts = counts(map, kind);
        if (kind == Kind.WARDS && area != Area.CITY) {
            throw nodes.refuse(nodes.required(map, "area").value(), "a wards figure shows the city's wards; leave out "
                    + "'area' or give city");
        }
        if (kind == Kind.WARDS && !(family.levels().contains(AreaType.WARD)
                && family.levels().contains(AreaType.DISTRICT))) {
            throw nodes.refuse(kindNode, "a wards figure needs the family's levels ward and district, and family "
                    + family.name() + " has " + String.join(", ", family.levels().stream()
                            .map(level -> level.name().toLowerCase(java.util.Locale.ROOT)).toList()));
        }
        if (kind == Kind.DISTRICTS && !family.levels().contains(AreaType.DISTRICT)) {
            throw nodes.refuse(kindNode, "a districts figure needs the family's level district, and family "
                    + family.name() + " has " + String.join(", ", family.levels().stream()
                            .map(level -> level.name().toLowerCase(java.util.Locale.ROOT)).toList()));
        }
        final AreaType level = area == Area.CITY ? AreaType.DISTRICT : AreaType.CSP;
        if (kind != Kind.QUARTERS && kind != Kind.DISTRICTS && !family.levels().contains(level)) {
            throw nodes.refuse(nodes.optional(map, "area").<Node>map(Entry::value).orElse(kindNode), "the figure's "
                    + "area is the " + (area == Area.CITY ? "city, a district" : "partnership") + ", and family "
                    + family.name() + " publishes no " + level.name().toLowerCase(java.util.Locale.ROOT)
                    + " level; give area: " + (area == Area.CITY ? "partnership" : "city"));
        }
        final Optional<String> by = nodes.optional(map, "by").map(node -> breakdown(nodes.scalar(node), counts));
        if ((kind == Kind.SHARES || kind == Kind.YEARS) && by.isEmpty()) {
            throw nodes.refuse(map, "a " + kind.key() + " figure needs 'by': the breakdown whose values it shows");
        }
        final Optional<String> value = nodes.optional(map, "value").map(node -> {
            final Scalar scalar = nodes.scalar(node);
            return valueOf(scalar, by.orElseThrow(() -> nodes.refuse(node, "'value' is a value of the breakdown "
                    + "'by', which is missing")));
        });
        final Optional<Within> within = nodes.optional(map, "within").map(node -> within(node, counts));
        final List<String> values = new ArrayList<>();
        nodes.optional(map, "values").ifPresent(node -> {
            for (final Node item : nodes.list(node.value(), "values").items()) {
                values.add(valueOf(nodes.scalar(item), by.orElseThrow()));
            }
        });
        final Map<String, String> labels = new LinkedHashMap<>();
        nodes.optional(map, "labels").ifPresent(node -> {
            for (final Entry label : nodes.map(node.value(), "labels").entries().values()) {
                valueOf(new Scalar(label.key(), label.line(), label.column()), by.orElseThrow());
                labels.put(label.key(), nodes.text(nodes.scalar(label), "label"));
            }
        });
        if (within.isPresent() && values.isEmpty()) {
            throw nodes.refuse(nodes.required(map, "within"), "shares within " + within.get().value() + " need "
                    + "'values': the values of '" + by.orElseThrow() + "' that fall within it, e.g. values: ["
                    + String.join(", ", valuesOf(by.orElseThrow()).stream().limit(2).toList()) + "]");
        }
        final boolean hasWindow = kind == Kind.CHANGE || kind == Kind.SHARES || kind == Kind.WARDS
                || kind == Kind.TOTAL;
        final Window window = kind == Kind.CHANGE ? window(nodes.required(map, "window"), false)
                : nodes.optional(map, "window").map(node -> window(node, false)).orElse(Window.YEAR);
        final Optional<Window> against = kind == Kind.CHANGE
                ? Optional.of(window(nodes.required(map, "against"), true)) : Optional.empty();
        final int top = nodes.optional(map, "top").map(node -> nodes.whole(nodes.scalar(node), "top", 0, 100))
                .orElse(kind == Kind.WARDS ? 3 : 0);
        final boolean chart = nodes.optional(map, "chart").map(node -> nodes.yesNo(nodes.scalar(node), "chart"))
                .orElse(kind == Kind.TREND || kind == Kind.YEARS);
        final boolean needsHeading = chart || kind == Kind.QUARTERS || kind == Kind.DISTRICTS;
        final Optional<String> heading = needsHeading
                ? Optional.of(template(nodes.scalar(nodes.required(map, "heading")), kind, false, List.of()))
                : Optional.empty();
        final Optional<String> text = kind == Kind.CHANGE || kind == Kind.SHARES || kind == Kind.TOTAL
                || kind == Kind.WARDS && !chart
                ? Optional.of(template(nodes.scalar(nodes.required(map, "text")), kind, true, List.of()))
                : nodes.optional(map, "text").map(node -> template(nodes.scalar(node), kind, true, List.of()));
        final Optional<String> item = nodes.optional(map, "item").map(node -> template(nodes.scalar(node), kind,
                false, kind == Kind.WARDS ? List.of("ward", "share", "count") : List.of("value", "share", "count")));
        final int decimals = nodes.optional(map, "decimals").map(node -> nodes.whole(nodes.scalar(node), "decimals",
                0, kind == Kind.DISTRICTS ? 2 : 1)).orElse(kind == Kind.DISTRICTS ? 1 : 0);
        final List<String> rates = new ArrayList<>();
        if (kind == Kind.DISTRICTS) {
            rates.add(perThousand(nodes.scalar(nodes.required(map, "rate")), counts.get(0)));
        }
        nodes.optional(map, "rates").ifPresent(node -> {
            for (final Node rate : nodes.list(node.value(), "rates").items()) {
                rates.add(rate(nodes.scalar(rate)));
            }
        });
        final List<Row> rows = kind == Kind.QUARTERS ? rows(nodes.required(map, "rows"), counts) : List.of();
        final Optional<String> firstColumn = optionalText(map, "first_column");
        if (!hasWindow && map.entries().containsKey("window")) {
            throw nodes.refuse(nodes.required(map, "window"), "a " + kind.key() + " figure covers the report's year"
                    + " and the year before; it takes no window");
        }
        final List<Integer> years = kind == Kind.DISTRICTS ? years(nodes.required(map, "years")) : List.of();
        return new Figure(kind, id, area, counts.get(0), counts, by, value, within, values, labels, window, against,
                top, chart, heading, text, item, decimals, rates, rows, firstColumn, years);
    }

    private Optional<String> optionalText(final MapNode map, final String key) {
        return nodes.optional(map, key).map(node -> nodes.text(nodes.scalar(node), key));
    }

    private Area area(final Entry entry) {
        final Scalar node = nodes.scalar(entry);
        return switch (nodes.text(node, "area")) {
            case "city" -> Area.CITY;
            case "partnership" -> Area.PARTNERSHIP;
            default -> throw nodes.refuse(node, "area is city (the report's district) or partnership, not '"
                    + node.text() + "'");
        };
    }

    /** {@code count} (one published count) or, for a total, {@code counts} (a list of them). */
    private List<String> counts(final MapNode map, final Kind kind) {
        final Optional<Entry> many = nodes.optional(map, "counts");
        if (many.isPresent()) {
            if (map.entries().containsKey("count")) {
                throw nodes.refuse(many.get(), "give 'count' or 'counts', not both");
            }
            final List<String> counts = new ArrayList<>();
            final ListNode list = nodes.list(many.get().value(), "counts");
            if (list.items().isEmpty()) {
                throw nodes.refuse(list, "no count is listed");
            }
            for (final Node item : list.items()) {
                counts.add(count(nodes.scalar(item)));
            }
            return counts;
        }
        final Entry one = map.entries().get("count");
        if (one == null) {
            throw nodes.refuse(map, "'count' is missing" + (kind == Kind.TOTAL ? " (or 'counts', a list)" : ""));
        }
        return List.of(count(nodes.scalar(one)));
    }

    private String count(final Scalar node) {
        final String name = nodes.text(node, "count");
        final boolean published = family.counts().stream()
                .anyMatch(count -> count.name().equals(name) && count.published());
        if (!published) {
            throw nodes.refuse(node, "'" + name + "' is not a published count of family " + family.name()
                    + "; counts are " + String.join(", ", publishedCounts()));
        }
        return name;
    }

    private List<String> publishedCounts() {
        return family.counts().stream().filter(FamilySpec.Count::published).map(FamilySpec.Count::name).toList();
    }

    private String rate(final Scalar node) {
        final String name = nodes.text(node, "rate");
        if (family.rates().stream().noneMatch(rate -> rate.name().equals(name))) {
            throw nodes.refuse(node, "'" + name + "' is not a rate of family " + family.name() + "; rates are "
                    + String.join(", ", family.rates().stream().map(FamilySpec.Rate::name).toList()));
        }
        return name;
    }

    /** A count per 1,000 residents of {@code count}, in the total. */
    private String perThousand(final Scalar node, final String count) {
        final String name = nodes.text(node, "rate");
        final List<String> ofCount = family.perThousandResidents().stream().filter(rate -> rate.count().equals(count))
                .map(FamilySpec.PerThousandResidents::name).toList();
        if (!ofCount.contains(name)) {
            throw nodes.refuse(node, "'" + name + "' is not a count per 1,000 residents of '" + count + "' in family "
                    + family.name() + "; " + (ofCount.isEmpty() ? "it has none (add one under the family's "
                    + "per_1000_residents)" : "it has " + String.join(", ", ofCount)));
        }
        return name;
    }

    /** Two calendar years, the earlier first. */
    private List<Integer> years(final Entry entry) {
        final ListNode list = nodes.list(entry.value(), "years");
        if (list.items().size() != 2) {
            throw nodes.refuse(list, "a districts figure compares two calendar years, e.g. years: [2019, 2020]; "
                    + list.items().size() + " are listed");
        }
        final int first = nodes.whole(nodes.scalar(list.items().get(0)), "a year", 1900, 2200);
        final Scalar secondNode = nodes.scalar(list.items().get(1));
        final int second = nodes.whole(secondNode, "a year", 1900, 2200);
        if (second <= first) {
            throw nodes.refuse(secondNode, "the years are listed earlier first: " + second + " is not after " + first);
        }
        return List.of(first, second);
    }

    /** A breakdown column that the figure's first count is published by. */
    private String breakdown(final Scalar node, final List<String> counts) {
        final String column = nodes.text(node, "by");
        final FamilySpec.Count count = family.counts().stream().filter(c -> c.name().equals(counts.get(0)))
                .findFirst().orElseThrow();
        if (!count.by().contains(column)) {
            throw nodes.refuse(node, "count '" + count.name() + "' is not published by '" + column + "'; it is by "
                    + (count.by().isEmpty() ? "no breakdown" : String.join(", ", count.by())));
        }
        return column;
    }

    private String valueOf(final Scalar node, final String column) {
        final String value = nodes.text(node, "value");
        final List<String> values = valuesOf(column);
        if (!values.isEmpty() && !values.contains(value)) {
            throw nodes.refuse(node, "'" + value + "' is not a value of '" + column + "'; valid values are "
                    + String.join(", ", values));
        }
        return value;
    }

    /** An enum column's values (an age breakdown's bands are not listed in the contract). */
    private List<String> valuesOf(final String column) {
        return columns.get(column).type() instanceof ColumnType.Enum enumeration ? enumeration.values() : List.of();
    }

    private Within within(final Entry entry, final List<String> counts) {
        final MapNode map = nodes.map(entry.value(), "within");
        if (map.entries().size() != 1) {
            throw nodes.refuse(map, "within names one breakdown value, e.g. {offence_group: "
                    + "VIOLENCE_AGAINST_THE_PERSON}");
        }
        final Entry only = map.entries().values().iterator().next();
        final String column = breakdown(new Scalar(only.key(), only.line(), only.column()), counts);
        return new Within(column, valueOf(nodes.scalar(only), column));
    }

    /**
     * {@code year}, {@code year_before}, {@code {from: 2019-10, to: 2020-09}} (months, or offsets from
     * April of the report's year: 0 is April, -1 the March before), and for a change's {@code against}
     * also {@code year_earlier}.
     */
    private Window window(final Entry entry, final boolean against) {
        final String valid = "a window is year (the report's financial year), year_before, "
                + (against ? "year_earlier (the same months a year before), " : "")
                + "or {from: M, to: M} with each M a month (2019-10) or months from April of the report's year "
                + "(0 is April, -1 the March before)";
        if (entry.value() instanceof Scalar scalar) {
            return switch (scalar.text() == null ? "" : scalar.text().trim()) {
                case "year" -> Window.YEAR;
                case "year_before" -> new Window(new Bound(Optional.empty(), -12), new Bound(Optional.empty(), -1),
                        false);
                case "year_earlier" -> {
                    if (!against) {
                        throw nodes.refuse(scalar, valid + ", not 'year_earlier'");
                    }
                    yield new Window(new Bound(Optional.empty(), 0), new Bound(Optional.empty(), 0), true);
                }
                default -> throw nodes.refuse(scalar, valid + ", not '" + scalar.text() + "'");
            };
        }
        final MapNode map = nodes.map(entry.value(), "a window");
        nodes.allowOnly(map, "from", "to");
        final Scalar fromNode = nodes.scalar(nodes.required(map, "from"));
        final Scalar toNode = nodes.scalar(nodes.required(map, "to"));
        final Bound from = bound(fromNode, valid);
        final Bound to = bound(toNode, valid);
        final boolean backwards = from.absolute().isPresent() && to.absolute().isPresent()
                ? to.absolute().get().isBefore(from.absolute().get())
                : from.absolute().isEmpty() && to.absolute().isEmpty() && to.offset() < from.offset();
        if (backwards) {
            throw nodes.refuse(toNode, "the window ends before it starts: 'to' must not be before 'from'");
        }
        return new Window(from, to, false);
    }

    private Bound bound(final Scalar node, final String valid) {
        final String text = nodes.text(node, "a window's month");
        if (text.matches("[+-]?\\d{1,3}")) {
            return new Bound(Optional.empty(), Integer.parseInt(text));
        }
        try {
            return new Bound(Optional.of(YearMonth.parse(text)), 0);
        } catch (DateTimeParseException e) {
            throw nodes.refuse(node, valid + ", not '" + text + "'");
        }
    }

    private List<Row> rows(final Entry entry, final List<String> counts) {
        final List<Row> rows = new ArrayList<>();
        final ListNode list = nodes.list(entry.value(), "rows");
        if (list.items().isEmpty()) {
            throw nodes.refuse(list, "no row is listed; e.g. - {label: Total}");
        }
        for (final Node item : list.items()) {
            final MapNode map = nodes.map(item, "a row");
            nodes.allowOnly(map, "label", "by", "value", "each_district", "total");
            final Optional<String> by = nodes.optional(map, "by").map(node -> breakdown(nodes.scalar(node), counts));
            final Optional<String> value = nodes.optional(map, "value").map(node -> {
                if (by.isEmpty()) {
                    throw nodes.refuse(node, "'value' is a value of the breakdown 'by', which is missing");
                }
                return valueOf(nodes.scalar(node), by.get());
            });
            if (by.isPresent() && value.isEmpty()) {
                throw nodes.refuse(map, "a row with 'by' needs its 'value'");
            }
            final boolean eachDistrict = nodes.optional(map, "each_district")
                    .map(node -> nodes.yesNo(nodes.scalar(node), "each_district")).orElse(false);
            final Optional<String> label = nodes.optional(map, "label").map(node -> nodes.text(nodes.scalar(node),
                    "label"));
            if (label.isEmpty() && !eachDistrict) {
                throw nodes.refuse(map, "a row needs a 'label' (a row per district takes the district's name)");
            }
            final boolean total = nodes.optional(map, "total").map(node -> nodes.yesNo(nodes.scalar(node), "total"))
                    .orElse(false);
            rows.add(new Row(label, by, value, eachDistrict, total));
        }
        return rows;
    }

    /** A heading, text or item with only known placeholders; {@code only}, if given, the only ones allowed. */
    private String template(final Scalar node, final Kind kind, final boolean metrics, final List<String> only) {
        final String text = nodes.text(node, "text");
        final Set<String> known = new LinkedHashSet<>();
        if (only.isEmpty()) {
            known.addAll(COMMON_PLACEHOLDERS);
            known.addAll(PLACEHOLDERS.get(kind));
            if (metrics) {
                known.addAll(publishedCounts());
                family.rates().forEach(rate -> known.add(rate.name()));
                family.projection().ifPresent(projection -> known.add("projection"));
            }
        } else {
            known.addAll(only);
        }
        final Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!known.contains(matcher.group(1))) {
                throw nodes.refuse(node, "{" + matcher.group(1) + "} is not a placeholder here; valid ones are {"
                        + String.join("}, {", known) + "}");
            }
        }
        if (text.chars().filter(c -> c == '[').count() != text.chars().filter(c -> c == ']').count()) {
            throw nodes.refuse(node, "an optional part opens with [ and closes with ]; the brackets here do not pair");
        }
        return text;
    }
}
