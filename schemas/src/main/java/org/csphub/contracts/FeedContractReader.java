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
import org.csphub.disclosure.FeedDisclosure;
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

    static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]*");
    /** Avro's rule for names: records, enums, enum values. */
    static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final List<List<ColumnType.AreaSource>> AREA_SOURCES = List.of(
            List.of(ColumnType.AreaSource.WARD, ColumnType.AreaSource.LSOA),
            List.of(ColumnType.AreaSource.WARD, ColumnType.AreaSource.DISTRICT),
            List.of(ColumnType.AreaSource.DISTRICT));
    /** The fields every raw record ends with, which no column may take. */
    private static final List<String> RESERVED_FIELDS = List.of(ContractSchemas.RECEIVED_AT, ContractSchemas.SOURCE);
    private static final List<String> COMMON_COLUMN_KEYS = List.of("name", "type", "doc", "field", "optional",
            "default", "limit", "label");

    private final NodeReader nodes;
    /** The columns read so far, by name: a later key may refer only to an earlier column. */
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
                "family", "report");
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
        final FeedContract.RecordName record = record(nodes.required(root, "record"));
        final Limits limits = nodes.optional(root, "limits").map(this::limits).orElse(Limits.DEFAULTS);
        columns(nodes.required(root, "columns"));
        final FamilySpec family = new FamilyReader(nodes, columns).family(nodes.required(root, "family"));
        final Optional<FeedDisclosure> disclosure = nodes.optional(root, "disclosure")
                .map(entry -> new DisclosureReader(nodes, family, columns).disclosure(entry));
        final List<ReportSpec> report = nodes.optional(root, "report")
                .map(entry -> new ReportReader(nodes, family, columns).sections(entry)).orElse(List.of());
        return new FeedContract(slug, title, owner, freshness, record, List.copyOf(columns.values()), limits, family,
                disclosure, report);
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
        final String name = nodes.matching(nodes.scalar(nodes.required(map, "name")), "record name", AVRO_NAME,
                "an Avro name such as AsbIncident");
        final String namespace = nodes.matching(nodes.scalar(nodes.required(map, "namespace")), "record namespace",
                NAMESPACE, "a Java package such as org.csphub.feeds.asb");
        final String doc = nodes.text(nodes.scalar(nodes.required(map, "doc")), "doc");
        return new FeedContract.RecordName(name, namespace, doc);
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
        return nodes.optional(map, key).map(entry -> nodes.whole(nodes.scalar(entry), key, 1, Integer.MAX_VALUE))
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
                    : "columns " + ids.get(0).name() + " and " + ids.get(1).name()
                            + " both have type id; a feed has one");
        }
        if (columns.values().stream().filter(c -> c.type() instanceof ColumnType.Area).count() > 1) {
            throw nodes.refuse(entry.value(), "more than one column has type area; a record has one area");
        }
        for (final Node item : list.items()) {
            banding(nodes.map(item, "a column"));
        }
        for (final Node item : list.items()) {
            within(nodes.map(item, "a column"));
        }
    }

    private Column column(final MapNode map) {
        final Scalar nameNode = nodes.scalar(nodes.required(map, "name"));
        final String name = nodes.matching(nameNode, "column name", FIELD,
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
                keys.addAll(List.of("values", "symbol", "symbol_doc", "banded_from", "within"));
                yield enumeration(map, name);
            }
            case "integer" -> {
                keys.addAll(List.of("min", "max"));
                final int min = nodes.whole(nodes.scalar(nodes.required(map, "min")), "min", Integer.MIN_VALUE,
                        Integer.MAX_VALUE);
                final Scalar maxNode = nodes.scalar(nodes.required(map, "max"));
                yield new ColumnType.Integer(min, nodes.whole(maxNode, "max", min, Integer.MAX_VALUE));
            }
            case "yes/no" -> new ColumnType.YesNo();
            case "area" -> {
                keys.add("given_as");
                yield area(map);
            }
            case "age" -> {
                keys.add("max");
                yield new ColumnType.Age(nodes.whole(nodes.scalar(nodes.required(map, "max")), "max", 1, 150));
            }
            case "person_ref" -> new ColumnType.PersonRef();
            default -> throw nodes.refuse(typeNode, "column '" + name + "' has the unknown type '" + typeName
                    + "'; valid types are " + String.join(", ", ColumnType.NAMES));
        };
        nodes.allowOnly(map, keys);
        final Presence presence = presence(map, name, type);
        final Optional<Entry> fieldEntry = nodes.optional(map, "field");
        final String field = fieldEntry
                .map(entry -> nodes.matching(nodes.scalar(entry), "field", FIELD,
                        "lower-case letters, digits and underscores, starting with a letter"))
                .orElseGet(() -> fieldOf(name, type));
        final Node fieldNode = fieldEntry.<Node>map(Entry::value).orElse(nameNode);
        if (RESERVED_FIELDS.contains(field)) {
            throw nodes.refuse(fieldNode, "column '" + name + "' would be the record's field '" + field
                    + "', which every record has already (" + String.join(", ", RESERVED_FIELDS)
                    + "); name the column otherwise, or give it a field of its own");
        }
        for (final Column other : columns.values()) {
            if (other.field().equals(field)) {
                throw nodes.refuse(fieldNode, "column '" + name + "' would be the record's field '" + field
                        + "', which column '" + other.name() + "' (line " + columnLines.get(other.name())
                        + ") is already; give one of them a field of its own");
            }
            if (type instanceof ColumnType.Enum enumeration && other.type() instanceof ColumnType.Enum earlier
                    && earlier.symbol().equals(enumeration.symbol())) {
                throw nodes.refuse(nodes.required(map, "symbol").value(), "enum column '" + name + "' has the symbol '"
                        + enumeration.symbol() + "' of column '" + other.name() + "' (line "
                        + columnLines.get(other.name()) + "); each enum needs a name of its own");
            }
        }
        final String doc = nodes.text(nodes.scalar(nodes.required(map, "doc")), "doc");
        final String defaultValue = nodes.optional(map, "default").map(entry -> defaultOf(entry, name, type, presence))
                .orElse(null);
        final OptionalInt limit = nodes.optional(map, "limit")
                .map(entry -> OptionalInt.of(nodes.whole(nodes.scalar(entry), "limit", 1, Integer.MAX_VALUE)))
                .orElse(OptionalInt.empty());
        final String label = nodes.optional(map, "label").map(entry -> nodes.text(nodes.scalar(entry), "label"))
                .orElseGet(() -> Column.defaultLabel(name));
        final Column column = new Column(name, field, doc, presence, defaultValue, limit, type, label);
        columns.put(name, column);
        columnLines.put(name, map.line());
        return column;
    }

    /** Age gives {@code <name>_band}, a person's reference {@code <name>_hash} ({@code client_ref}, client_hash). */
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
            final String value = nodes.matching(node, "enum value", AVRO_NAME,
                    "letters, digits and underscores, not starting with a digit, e.g. NOT_KNOWN");
            if (values.contains(value)) {
                throw nodes.refuse(node, "value '" + value + "' is listed twice for column '" + name + "'");
            }
            values.add(value);
        }
        final String symbol = nodes.matching(nodes.scalar(nodes.required(map, "symbol")), "symbol", AVRO_NAME,
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
        final Column from = existing(nodes, columns, fromNode, "banded_from of column '" + column.name() + "'");
        if (!(from.type() instanceof ColumnType.Integer integer)) {
            throw nodes.refuse(fromNode, "column '" + column.name() + "' is banded from '" + from.name()
                    + "', " + from.describe() + "; bands are taken from an integer column");
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
            final int atLeast = nodes.whole(nodes.scalar(band.value()), "band " + band.key(), integer.min(),
                    integer.max());
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
                        Optional.of(new ColumnType.Banding(from.name(), bands))), column.label()));
    }

    /**
     * Reads an enum column's {@code within}: its values grouped under the values of another enum column,
     * every value of the column in exactly one group, every group a value of the other column.
     */
    private void within(final MapNode map) {
        final Optional<Entry> entry = nodes.optional(map, "within");
        if (entry.isEmpty()) {
            return;
        }
        final Column column = columns.get(nodes.scalar(nodes.required(map, "name")).text().trim());
        final ColumnType.Enum type = (ColumnType.Enum) column.type();
        final MapNode within = nodes.map(entry.get().value(), "within");
        nodes.allowOnly(within, "column", "groups");
        final Scalar parentNode = nodes.scalar(nodes.required(within, "column"));
        final Column parent = existing(nodes, columns, parentNode, "within of column '" + column.name() + "'");
        if (parent == column || !(parent.type() instanceof ColumnType.Enum groups)) {
            throw nodes.refuse(parentNode, "column '" + column.name() + "' is grouped within '" + parent.name()
                    + "', " + (parent == column ? "itself" : parent.describe())
                    + "; its groups are the values of another enum column");
        }
        final MapNode groupsMap = nodes.map(nodes.required(within, "groups").value(), "groups");
        if (groupsMap.entries().isEmpty()) {
            throw nodes.refuse(groupsMap, "no group is listed; list each value of '" + parent.name()
                    + "' with its values of '" + column.name() + "', e.g. " + groups.values().get(0) + ": ["
                    + type.values().get(0) + "]");
        }
        final Map<String, List<String>> grouped = new LinkedHashMap<>();
        final Map<String, String> groupOf = new LinkedHashMap<>();
        final Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (final Entry group : groupsMap.entries().values()) {
            if (!groups.values().contains(group.key())) {
                throw nodes.refuse(group, "group '" + group.key() + "' is not a value of column '" + parent.name()
                        + "'; valid values are " + String.join(", ", groups.values()));
            }
            final List<String> values = new ArrayList<>();
            for (final Node item : nodes.list(group.value(), "the group " + group.key()).items()) {
                final Scalar node = nodes.scalar(item);
                final String value = nodes.text(node, "a value of '" + column.name() + "'");
                if (!type.values().contains(value)) {
                    throw nodes.refuse(node, "'" + value + "' is not a value of column '" + column.name()
                            + "'; valid values are " + String.join(", ", type.values()));
                }
                if (groupOf.containsKey(value)) {
                    throw nodes.refuse(node, "'" + value + "' is listed in group " + group.key() + " and in group "
                            + groupOf.get(value) + " (line " + lineOf.get(value) + "); each value of '"
                            + column.name() + "' belongs to one group");
                }
                groupOf.put(value, group.key());
                lineOf.put(value, node.line());
                values.add(value);
            }
            grouped.put(group.key(), values);
        }
        final List<String> ungrouped = type.values().stream().filter(value -> !groupOf.containsKey(value)).toList();
        if (!ungrouped.isEmpty()) {
            throw nodes.refuse(groupsMap, "value" + (ungrouped.size() == 1 ? " " : "s ") + String.join(", ", ungrouped)
                    + " of column '" + column.name() + "' " + (ungrouped.size() == 1 ? "is" : "are")
                    + " in no group; list each value under the group of '" + parent.name() + "' it belongs to");
        }
        columns.put(column.name(), new Column(column.name(), column.field(), column.doc(), column.presence(),
                column.defaultValue(), column.limit(), new ColumnType.Enum(type.symbol(), type.doc(), type.values(),
                        type.banding(), Optional.of(new ColumnType.Within(parent.name(), grouped))), column.label()));
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
        if (presence == Presence.OPTIONAL && type instanceof ColumnType.Area) {
            throw nodes.refuse(node, "the area column '" + name + "' may be 'optional: blank' (every file has its "
                    + "columns, a row may leave them blank), not '" + node.text() + "'");
        }
        if (presence != Presence.REQUIRED && (type instanceof ColumnType.Id || type instanceof ColumnType.PersonRef)) {
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
            case ColumnType.YesNo yesNo -> nodes.yesNo(node, "the default of '" + name + "'") ? "yes" : "no";
            case ColumnType.Integer integer -> Integer.toString(nodes.whole(node, "the default of '" + name + "'",
                    integer.min(), integer.max()));
            case ColumnType.Enum enumeration -> {
                if (!enumeration.values().contains(text)) {
                    throw nodes.refuse(node, "the default of '" + name + "' must be one of its values "
                            + String.join(", ", enumeration.values()) + ", not '" + text + "'");
                }
                yield text;
            }
            default -> throw nodes.refuse(node, "the " + type.label() + " column '" + name + "' cannot have a default;"
                    + " defaults are for yes/no, integer and enum columns");
        };
    }

    /** The column {@code node} names, refusing a name that is not one of {@code columns}. */
    static Column existing(final NodeReader nodes, final Map<String, Column> columns, final Scalar node,
            final String what) {
        final String name = nodes.text(node, "column");
        final Column column = columns.get(name);
        if (column == null) {
            throw nodes.refuse(node, what + " names '" + name + "', which is not a column; columns are "
                    + String.join(", ", columns.keySet()));
        }
        return column;
    }
}
