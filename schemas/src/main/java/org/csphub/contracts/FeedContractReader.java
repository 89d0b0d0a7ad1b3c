package org.csphub.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.csphub.contracts.Column.Presence;
import org.csphub.contracts.FamilySpec.Breakdown;
import org.csphub.contracts.FamilySpec.Count;
import org.csphub.contracts.FamilySpec.Filter;
import org.csphub.contracts.FamilySpec.Projection;
import org.csphub.contracts.FamilySpec.Rate;
import org.csphub.contracts.FamilySpec.Repeat;
import org.csphub.disclosure.DisclosurePolicy;
import org.csphub.metrics.AreaType;
import org.csphub.topics.Topics;
import org.csphub.yaml.LocatedYaml;
import org.csphub.yaml.LocatedYaml.Entry;
import org.csphub.yaml.LocatedYaml.ListNode;
import org.csphub.yaml.LocatedYaml.MapNode;
import org.csphub.yaml.LocatedYaml.Node;
import org.csphub.yaml.LocatedYaml.Scalar;
import org.csphub.yaml.LocatedYamlException;
import org.csphub.yaml.NodeReader;

/**
 * Reads one feed contract file and refuses a bad one with a single {@link InvalidContractException}
 * naming the file, line and column and what would be valid. Every name the file uses (a column in a
 * filter, a count in a rate) is checked here, so that the stages built from a contract never meet a
 * dangling one. The format is described in docs/contracts.md.
 */
public final class FeedContractReader {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]*");
    /** Avro's rule for names: records, enums, enum values. */
    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_]*");
    private static final List<List<ColumnType.AreaSource>> AREA_SOURCES = List.of(
            List.of(ColumnType.AreaSource.WARD, ColumnType.AreaSource.LSOA),
            List.of(ColumnType.AreaSource.WARD, ColumnType.AreaSource.DISTRICT),
            List.of(ColumnType.AreaSource.DISTRICT));
    private static final List<String> COMMON_COLUMN_KEYS = List.of("name", "type", "doc", "field", "optional",
            "default", "limit");

    private final NodeReader nodes;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private final Map<String, Integer> columnLines = new LinkedHashMap<>();

    private FeedContractReader(final String source) {
        this.nodes = new NodeReader(source);
    }

    /** Reads a contract file; its name, less {@code .yaml}, must be the feed's slug. */
    public static FeedContract read(final Path file) {
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the feed contract " + file.toAbsolutePath(), e);
        }
        final String expected = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(text, file.toString(), Optional.of(expected));
    }

    /** Reads a contract's text; {@code source} names it in messages. */
    public static FeedContract parse(final String yaml, final String source) {
        return parse(yaml, source, Optional.empty());
    }

    private static FeedContract parse(final String yaml, final String source, final Optional<String> slugOfFile) {
        try {
            return new FeedContractReader(source).contract(LocatedYaml.parse(yaml, source), slugOfFile);
        } catch (InvalidContractException e) {
            throw e;
        } catch (LocatedYamlException e) {
            throw new InvalidContractException(e.source(), e.line(), e.column(), e.problem());
        }
    }

    private FeedContract contract(final Node document, final Optional<String> slugOfFile) {
        final MapNode root = nodes.map(document, "a feed contract");
        nodes.allowOnly(root, "slug", "title", "owner", "freshness", "disclosure", "record", "limits", "columns",
                "family");
        final Scalar slugNode = nodes.scalar(nodes.required(root, "slug"));
        final String slug = nodes.text(slugNode, "slug");
        if (!SLUG.matcher(slug).matches()) {
            throw nodes.refuse(slugNode, "slug '" + slug + "' may hold only lower-case letters, digits and single "
                    + "hyphens between them, e.g. police-asb");
        }
        if (slugOfFile.isPresent() && !slugOfFile.get().equals(slug)) {
            throw nodes.refuse(slugNode, "slug '" + slug + "' differs from the file's name; name the file "
                    + slug + ".yaml");
        }
        final String title = nodes.text(nodes.scalar(nodes.required(root, "title")), "title");
        final String owner = nodes.text(nodes.scalar(nodes.required(root, "owner")), "owner");
        final Duration freshness = freshness(nodes.scalar(nodes.required(root, "freshness")));
        final Optional<DisclosurePolicy> disclosure = nodes.optional(root, "disclosure").map(this::disclosure);
        final FeedContract.RecordName record = record(nodes.required(root, "record"));
        final Limits limits = nodes.optional(root, "limits").map(this::limits).orElse(Limits.DEFAULTS);
        columns(nodes.required(root, "columns"));
        final FamilySpec family = family(nodes.required(root, "family"));
        return new FeedContract(slug, title, owner, freshness, record, List.copyOf(columns.values()), limits, family,
                disclosure);
    }

    /** {@code open}, {@code {threshold: 5}} or {@code {round: {withhold_up_to: 7, base: 5}}}. */
    private DisclosurePolicy disclosure(final Entry entry) {
        final String valid = "disclosure is open, {threshold: N} (withhold 1 to N-1) or {round: {withhold_up_to: N,"
                + " base: B}} (withhold 1 to N, round the rest to B)";
        if (entry.value() instanceof Scalar scalar) {
            if ("open".equals(scalar.text())) {
                return new DisclosurePolicy.Open();
            }
            throw nodes.refuse(scalar, valid + ", not '" + scalar.text() + "'");
        }
        final MapNode map = nodes.map(entry.value(), "disclosure");
        if (map.entries().size() != 1) {
            throw nodes.refuse(map, valid);
        }
        nodes.allowOnly(map, "threshold", "round");
        final Optional<Entry> threshold = nodes.optional(map, "threshold");
        if (threshold.isPresent()) {
            return new DisclosurePolicy.Threshold(whole(nodes.scalar(threshold.get()), "threshold", 2, 1000));
        }
        final MapNode round = nodes.map(nodes.required(map, "round").value(), "round");
        nodes.allowOnly(round, "withhold_up_to", "base");
        return new DisclosurePolicy.Round(whole(nodes.scalar(nodes.required(round, "withhold_up_to")),
                "withhold_up_to", 1, 1000), whole(nodes.scalar(nodes.required(round, "base")), "base", 2, 1000));
    }

    private Duration freshness(final Scalar node) {
        final String text = nodes.text(node, "freshness");
        try {
            final Duration duration = Duration.parse(text);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // refused below, with what would be valid
        }
        throw nodes.refuse(node, "freshness '" + text + "' is not a positive ISO-8601 duration such as P1D "
                + "(a day) or P35D");
    }

    private FeedContract.RecordName record(final Entry entry) {
        final MapNode map = nodes.map(entry.value(), "record");
        nodes.allowOnly(map, "name", "namespace", "doc");
        final String name = matching(nodes.scalar(nodes.required(map, "name")), "record name", AVRO_NAME,
                "an Avro name such as AsbIncident");
        final String namespace = matching(nodes.scalar(nodes.required(map, "namespace")), "record namespace",
                NAMESPACE, "a Java package such as org.csphub.feeds.asb");
        return new FeedContract.RecordName(name, namespace, nodes.text(nodes.scalar(nodes.required(map, "doc")), "doc"));
    }

    private Limits limits(final Entry entry) {
        final MapNode map = nodes.map(entry.value(), "limits");
        nodes.allowOnly(map, "id", "area", "value", "row");
        final Limits defaults = Limits.DEFAULTS;
        final int id = optionalPositive(map, "id", defaults.id());
        final int area = optionalPositive(map, "area", defaults.area());
        final int value = optionalPositive(map, "value", defaults.value());
        final int row = optionalPositive(map, "row", defaults.row());
        if (row < value) {
            throw nodes.refuse(map, "a row's limit (" + row + ") must be at least a value's (" + value + ")");
        }
        return new Limits(id, area, value, row);
    }

    private int optionalPositive(final MapNode map, final String key, final int otherwise) {
        return nodes.optional(map, key).map(entry -> whole(nodes.scalar(entry), key, 1, Integer.MAX_VALUE))
                .orElse(otherwise);
    }

    private void columns(final Entry entry) {
        final ListNode list = nodes.list(entry.value(), "columns");
        if (list.items().isEmpty()) {
            throw nodes.refuse(entry.value(), "no column is listed: a feed needs at least its id column");
        }
        final Set<String> fields = new LinkedHashSet<>();
        for (final Node item : list.items()) {
            final Column column = column(nodes.map(item, "a column"));
            if (!fields.add(column.field())) {
                throw nodes.refuse(item, "column '" + column.name() + "' would make the field '" + column.field()
                        + "' that another column makes; give it its own with 'field'");
            }
        }
        final List<Column> ids = columns.values().stream().filter(c -> c.type() instanceof ColumnType.Id).toList();
        if (ids.size() != 1) {
            throw nodes.refuse(entry.value(), ids.isEmpty()
                    ? "no column has type id; one column must hold the partner's own record id (the Kafka key)"
                    : "columns " + ids.get(0).name() + " and " + ids.get(1).name() + " both have type id; a feed has one");
        }
        if (columns.values().stream().filter(c -> c.type() instanceof ColumnType.Area).count() > 1) {
            throw nodes.refuse(entry.value(), "more than one column has type area; a record has one area");
        }
        for (final Node item : list.items()) {
            banding(nodes.map(item, "a column"));
        }
    }

    private Column column(final MapNode map) {
        final Scalar nameNode = nodes.scalar(nodes.required(map, "name"));
        final String name = matching(nameNode, "column name", FIELD,
                "lower-case letters, digits and underscores, starting with a letter, e.g. reported_at");
        if (columns.containsKey(name)) {
            throw nodes.refuse(nameNode, "column '" + name + "' is declared twice (first on line "
                    + columnLines.get(name) + ")");
        }
        final Scalar typeNode = nodes.scalar(nodes.required(map, "type"));
        final String typeName = nodes.text(typeNode, "type");
        final List<String> keys = new ArrayList<>(COMMON_COLUMN_KEYS);
        final ColumnType type = switch (typeName) {
            case "id" -> new ColumnType.Id();
            case "date" -> new ColumnType.Date();
            case "datetime" -> new ColumnType.DateTime();
            case "enum" -> {
                keys.addAll(List.of("values", "symbol", "symbol_doc", "banded_from"));
                yield enumeration(map, name);
            }
            case "integer" -> {
                keys.addAll(List.of("min", "max"));
                final int min = whole(nodes.scalar(nodes.required(map, "min")), "min", Integer.MIN_VALUE,
                        Integer.MAX_VALUE);
                final Scalar maxNode = nodes.scalar(nodes.required(map, "max"));
                yield new ColumnType.Integer(min, whole(maxNode, "max", min, Integer.MAX_VALUE));
            }
            case "yes/no" -> new ColumnType.YesNo();
            case "area" -> {
                keys.add("given_as");
                yield area(map);
            }
            case "age" -> {
                keys.add("max");
                yield new ColumnType.Age(whole(nodes.scalar(nodes.required(map, "max")), "max", 1, 150));
            }
            case "person_ref" -> new ColumnType.PersonRef();
            default -> throw nodes.refuse(typeNode, "column '" + name + "' has the unknown type '" + typeName
                    + "'; valid types are " + String.join(", ", ColumnType.NAMES));
        };
        nodes.allowOnly(map, keys);
        final Presence presence = presence(map, name, type);
        final String field = nodes.optional(map, "field")
                .map(entry -> matching(nodes.scalar(entry), "field", FIELD,
                        "lower-case letters, digits and underscores, starting with a letter"))
                .orElseGet(() -> fieldOf(name, type));
        final String doc = nodes.text(nodes.scalar(nodes.required(map, "doc")), "doc");
        final String defaultValue = nodes.optional(map, "default").map(entry -> defaultOf(entry, name, type, presence))
                .orElse(null);
        final OptionalInt limit = nodes.optional(map, "limit")
                .map(entry -> OptionalInt.of(whole(nodes.scalar(entry), "limit", 1, Integer.MAX_VALUE)))
                .orElse(OptionalInt.empty());
        final Column column = new Column(name, field, doc, presence, defaultValue, limit, type);
        columns.put(name, column);
        columnLines.put(name, map.line());
        return column;
    }

    /** Age becomes {@code <name>_band}, a person's reference {@code <name>_hash} ({@code client_ref} gives {@code client_hash}). */
    private static String fieldOf(final String name, final ColumnType type) {
        return switch (type) {
            case ColumnType.Age age -> name + "_band";
            case ColumnType.PersonRef ref -> (name.endsWith("_ref") ? name.substring(0, name.length() - 4) : name)
                    + "_hash";
            default -> name;
        };
    }

    private ColumnType.Enum enumeration(final MapNode map, final String name) {
        final Optional<Entry> valuesEntry = nodes.optional(map, "values");
        if (valuesEntry.isEmpty() || valuesEntry.get().value() instanceof Scalar scalar && scalar.text() == null
                || valuesEntry.get().value() instanceof ListNode list && list.items().isEmpty()) {
            throw nodes.refuse(valuesEntry.<Node>map(Entry::value).orElse(map), "enum column '" + name
                    + "' has no values; list the values a row may hold, e.g. values: [PERSONAL, NUISANCE]");
        }
        final List<String> values = new ArrayList<>();
        for (final Node item : nodes.list(valuesEntry.get().value(), "values").items()) {
            final Scalar node = nodes.scalar(item);
            final String value = matching(node, "enum value", AVRO_NAME,
                    "letters, digits and underscores, not starting with a digit, e.g. NOT_KNOWN");
            if (values.contains(value)) {
                throw nodes.refuse(node, "value '" + value + "' is listed twice for column '" + name + "'");
            }
            values.add(value);
        }
        final String symbol = matching(nodes.scalar(nodes.required(map, "symbol")), "symbol", AVRO_NAME,
                "the Avro enum's name, e.g. AsbCategory");
        final String symbolDoc = nodes.text(nodes.scalar(nodes.required(map, "symbol_doc")), "symbol_doc");
        // the banding is read once every column is known: it names another column
        return new ColumnType.Enum(symbol, symbolDoc, values, Optional.empty());
    }

    /** Reads an enum column's {@code banded_from}, now that the column it names may be checked. */
    private void banding(final MapNode map) {
        final Optional<Entry> entry = nodes.optional(map, "banded_from");
        if (entry.isEmpty()) {
            return;
        }
        final Column column = columns.get(nodes.scalar(nodes.required(map, "name")).text().trim());
        final ColumnType.Enum type = (ColumnType.Enum) column.type();
        final MapNode banded = nodes.map(entry.get().value(), "banded_from");
        nodes.allowOnly(banded, "column", "bands");
        final Scalar fromNode = nodes.scalar(nodes.required(banded, "column"));
        final Column from = existing(fromNode, "banded_from of column '" + column.name() + "'");
        if (!(from.type() instanceof ColumnType.Integer integer)) {
            throw nodes.refuse(fromNode, "column '" + column.name() + "' is banded from '" + from.name()
                    + "', " + describe(from) + "; bands are taken from an integer column");
        }
        final Entry bandsEntry = nodes.required(banded, "bands");
        final MapNode bandsMap = nodes.map(bandsEntry.value(), "bands");
        if (bandsMap.entries().isEmpty()) {
            throw nodes.refuse(bandsMap, "no band is listed; give each value its lowest score, e.g. HIGH: 14");
        }
        final List<ColumnType.Band> bands = new ArrayList<>();
        Integer previous = null;
        for (final Entry band : bandsMap.entries().values()) {
            if (!type.values().contains(band.key())) {
                throw nodes.refuse(band, "band '" + band.key() + "' is not a value of column '" + column.name()
                        + "'; valid values are " + String.join(", ", type.values()));
            }
            final int atLeast = whole(nodes.scalar(band.value()), "band " + band.key(), integer.min(), integer.max());
            if (previous != null && atLeast >= previous) {
                throw nodes.refuse(band.value(), "bands are listed from the highest lower bound down; " + atLeast
                        + " is not below " + previous);
            }
            previous = atLeast;
            bands.add(new ColumnType.Band(band.key(), atLeast));
        }
        if (previous != integer.min()) {
            throw nodes.refuse(bandsEntry.value(), "the last band must start at " + integer.min() + ", the minimum of '"
                    + from.name() + "', so that every score has a band");
        }
        if (column.presence() == Presence.REQUIRED) {
            throw nodes.refuse(entry.get(), "column '" + column.name() + "' is banded from '" + from.name()
                    + "' when a row leaves it blank, so it must be 'optional: yes' or 'optional: blank'");
        }
        columns.put(column.name(), new Column(column.name(), column.field(), column.doc(), column.presence(),
                column.defaultValue(), column.limit(), new ColumnType.Enum(type.symbol(), type.doc(), type.values(),
                        Optional.of(new ColumnType.Banding(from.name(), bands)))));
    }

    private ColumnType.Area area(final MapNode map) {
        final Entry entry = nodes.required(map, "given_as");
        final List<ColumnType.AreaSource> sources = new ArrayList<>();
        for (final Node item : nodes.list(entry.value(), "given_as").items()) {
            final String text = nodes.text(nodes.scalar(item), "given_as");
            sources.add(Arrays.stream(ColumnType.AreaSource.values())
                    .filter(source -> source.column().equals(text)).findFirst()
                    .orElseThrow(() -> nodes.refuse(item, "an area is given as ward, lsoa or district, not '"
                            + text + "'")));
        }
        if (!AREA_SOURCES.contains(sources)) {
            throw nodes.refuse(entry.value(), "an area is given as one of [ward, lsoa], [ward, district] or "
                    + "[district], the ways the reference geography resolves one");
        }
        return new ColumnType.Area(sources);
    }

    private Presence presence(final MapNode map, final String name, final ColumnType type) {
        final Optional<Entry> entry = nodes.optional(map, "optional");
        if (entry.isEmpty()) {
            return Presence.REQUIRED;
        }
        final Scalar node = nodes.scalar(entry.get());
        final String text = nodes.text(node, "optional").toLowerCase(Locale.ROOT);
        final Presence presence = switch (text) {
            case "no", "false" -> Presence.REQUIRED;
            case "yes", "true" -> Presence.OPTIONAL;
            case "blank" -> Presence.BLANK_ALLOWED;
            default -> throw nodes.refuse(node, "optional must be no (the default), yes (the file may leave the "
                    + "column out and a row leave it blank) or blank (every file has the column, a row may leave it "
                    + "blank), not '" + node.text() + "'");
        };
        if (presence != Presence.REQUIRED && (type instanceof ColumnType.Id || type instanceof ColumnType.Area
                || type instanceof ColumnType.PersonRef)) {
            throw nodes.refuse(node, "the " + type.label() + " column cannot be optional: every record needs '"
                    + name + "'");
        }
        return presence;
    }

    private String defaultOf(final Entry entry, final String name, final ColumnType type, final Presence presence) {
        final Scalar node = nodes.scalar(entry);
        final String text = nodes.text(node, "default");
        if (presence == Presence.REQUIRED) {
            throw nodes.refuse(node, "column '" + name + "' has a default but is not optional; add 'optional: yes'"
                    + " or 'optional: blank'");
        }
        return switch (type) {
            case ColumnType.YesNo yesNo -> yesNo(node, "the default of '" + name + "'");
            case ColumnType.Integer integer -> Integer.toString(whole(node, "the default of '" + name + "'",
                    integer.min(), integer.max()));
            case ColumnType.Enum enumeration -> {
                if (!enumeration.values().contains(text)) {
                    throw nodes.refuse(node, "the default of '" + name + "' must be one of its values "
                            + String.join(", ", enumeration.values()) + ", not '" + text + "'");
                }
                yield text;
            }
            default -> throw nodes.refuse(node, "the " + type.label() + " column '" + name + "' cannot have a default; defaults are for "
                    + "yes/no, integer and enum columns");
        };
    }

    private FamilySpec family(final Entry entry) {
        final MapNode map = nodes.map(entry.value(), "family");
        nodes.allowOnly(map, "name", "topic", "period", "levels", "breakdowns", "counts", "rates", "ward_share",
                "projection");
        final String name = matching(nodes.scalar(nodes.required(map, "name")), "family name", SLUG,
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
                    + period.name() + "' is " + describe(period));
        }
        final List<AreaType> levels = levels(nodes.required(map, "levels"), EnumSet.allOf(AreaType.class));
        final Column area = columns.values().stream().filter(c -> c.type() instanceof ColumnType.Area).findFirst()
                .orElseThrow(() -> nodes.refuse(map, "no column has type area; a family publishes by area"));
        if (levels.contains(AreaType.WARD) && !((ColumnType.Area) area.type()).hasWards()) {
            throw nodes.refuse(nodes.required(map, "levels").value(), "level ward needs an area given as a ward, and '"
                    + area.name() + "' is given as district only");
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
        final Optional<String> wardShare = nodes.optional(map, "ward_share").map(shareEntry -> {
            final Scalar node = nodes.scalar(shareEntry);
            if (!levels.contains(AreaType.WARD) || !levels.contains(AreaType.DISTRICT)) {
                throw nodes.refuse(node, "a ward share needs the levels ward and district");
            }
            return metricName(node, name, metrics);
        });
        final Optional<Projection> projection = nodes.optional(map, "projection")
                .map(projectionEntry -> projection(projectionEntry, name, counts, levels, metrics));
        return new FamilySpec(name, topic, period.name(), levels, breakdowns, counts, rates, wardShare, projection);
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
                            + String.join(", ", allowed.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList())));
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
                    + describe(column));
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
                .map(entry -> matching(nodes.scalar(entry), "missing", AVRO_NAME, "a value such as UNKNOWN"))
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
                    throw nodes.refuse(node, what + " sums '" + column.name() + "', " + describe(column)
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
                    .map(publishedEntry -> "yes".equals(yesNo(nodes.scalar(publishedEntry), "published")))
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
            throw nodes.refuse(personNode, what + " finds repeats by '" + person.name() + "', " + describe(person)
                    + "; repeats are found by a person_ref column");
        }
        final int within = whole(nodes.scalar(nodes.required(map, "within_months")), "within_months", 1, 120);
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
                case ColumnType.YesNo yesNo -> values.add(yesNo(nodes.scalar(condition.value()),
                        "the filter on '" + column.name() + "'"));
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
                        + describe(column) + "; a filter takes a yes/no column (engaged: yes) or an enum column"
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
        final String name = nodes.text(node, "column");
        final Column column = columns.get(name);
        if (column == null) {
            throw nodes.refuse(node, what + " names '" + name + "', which is not a column; columns are "
                    + String.join(", ", columns.keySet()));
        }
        return column;
    }

    private static String describe(final Column column) {
        final String label = column.type().label();
        if (column.mayBeBlank()) {
            return "an optional " + label + " column";
        }
        return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label + " column";
    }

    private String yesNo(final Scalar node, final String what) {
        final String text = nodes.text(node, what).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "yes", "true" -> "yes";
            case "no", "false" -> "no";
            default -> throw nodes.refuse(node, what + " must be yes or no, not '" + node.text() + "'");
        };
    }

    private String matching(final Scalar node, final String what, final Pattern pattern, final String valid) {
        final String text = nodes.text(node, what);
        if (!pattern.matcher(text).matches()) {
            throw nodes.refuse(node, what + " '" + text + "' is not valid: " + valid);
        }
        return text;
    }

    private int whole(final Scalar node, final String what, final int min, final int max) {
        final String text = nodes.text(node, what);
        try {
            final int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below, with the range
        }
        throw nodes.refuse(node, what + " must be a whole number" + (min == Integer.MIN_VALUE ? ""
                : max == Integer.MAX_VALUE ? " of at least " + min : " from " + min + " to " + max)
                + ", not '" + text + "'");
    }
}
