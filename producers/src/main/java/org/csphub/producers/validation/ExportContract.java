package org.csphub.producers.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.csphub.contracts.Column;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FeedContract;

/**
 * The columns of one partner export: the id column, the columns every file must have, the groups of
 * which a file must have at least one ({@code ward} or {@code lsoa}), and the optional ones. Column
 * names are compared without regard to case, surrounding spaces, or spaces and hyphens for underscores.
 */
public final class ExportContract {

    /** The optional column that turns a row into a retraction. */
    public static final String ACTION = "action";

    private final String feed;
    private final String idColumn;
    private final List<String> required;
    private final List<List<String>> oneOf;
    private final List<String> optional;
    private final FieldLimits limits;

    public ExportContract(final String feed, final String idColumn, final List<String> required,
            final List<List<String>> oneOf, final List<String> optional, final FieldLimits limits) {
        this.feed = feed;
        this.limits = limits;
        this.idColumn = idColumn;
        this.required = List.copyOf(required);
        this.oneOf = oneOf.stream().map(List::copyOf).toList();
        this.optional = Stream.concat(optional.stream(), Stream.of(ACTION)).distinct().toList();
    }

    /**
     * The export a feed contract declares. A file must have the id column, every column that is not
     * {@code optional: yes}, and one of each group: the columns of an area given two ways ({@code ward}
     * or {@code lsoa}), and an integer column with the enum banded from it when both may be left out
     * ({@code dash_score} or {@code risk_level}). It may have the other {@code optional: yes} columns.
     */
    public static ExportContract of(final FeedContract contract) {
        final Set<String> groupedSources = new LinkedHashSet<>();
        contract.columns().forEach(column -> bandingSource(contract, column)
                .ifPresent(from -> groupedSources.add(from.name())));
        final List<String> required = new ArrayList<>();
        final List<List<String>> oneOf = new ArrayList<>();
        final List<String> optional = new ArrayList<>();
        for (final Column column : contract.columns()) {
            final Optional<Column> source = bandingSource(contract, column);
            if (column.type() instanceof ColumnType.Area area) {
                final List<String> given = area.givenAs().stream().map(ColumnType.AreaSource::column).toList();
                if (given.size() == 1) {
                    required.add(given.get(0));
                } else {
                    oneOf.add(given);
                }
            } else if (source.isPresent()) {
                oneOf.add(List.of(source.get().name(), column.name()));
            } else if (!groupedSources.contains(column.name())) {
                (column.presence() == Column.Presence.OPTIONAL ? optional : required).add(column.name());
            }
        }
        return new ExportContract(contract.slug(), contract.idColumn().name(), required, oneOf, optional,
                FieldLimits.of(contract));
    }

    /** The integer column {@code column} is banded from, when a file may leave out both. */
    private static Optional<Column> bandingSource(final FeedContract contract, final Column column) {
        if (!(column.type() instanceof ColumnType.Enum enumeration) || enumeration.banding().isEmpty()
                || column.presence() != Column.Presence.OPTIONAL) {
            return Optional.empty();
        }
        return contract.column(enumeration.banding().get().from())
                .filter(from -> from.presence() == Column.Presence.OPTIONAL);
    }

    public String idColumn() {
        return idColumn;
    }

    /** How long each value, and a whole row, may be. */
    public FieldLimits limits() {
        return limits;
    }

    /** The limit in characters of a value of {@code column} (a column outside the contract has the general one). */
    public int limitOf(final String column) {
        return limits.of(column, idColumn);
    }

    /** Every column the contract knows. */
    public Set<String> columns() {
        final Set<String> all = new LinkedHashSet<>(required);
        oneOf.forEach(all::addAll);
        all.addAll(optional);
        return all;
    }

    /** The contract as a data officer reads it: {@code incident_id, reported_at, ward|lsoa, [action]}. */
    public String describe() {
        final List<String> parts = new ArrayList<>(required);
        oneOf.forEach(group -> parts.add(String.join("|", group)));
        optional.forEach(column -> parts.add("[" + column + "]"));
        return String.join(", ", parts);
    }

    /** A header cell as the contract compares it. */
    public static String normalise(final String header) {
        return header.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
    }

    /**
     * Where each contract column is in a file with this header. A header that lacks a required column,
     * has a column outside the contract that is not configured as ignored, or repeats a column is refused.
     */
    public HeaderLayout layout(final List<String> header, final Set<String> ignored) {
        final Map<String, Integer> positions = new LinkedHashMap<>();
        final Set<Integer> unnamed = new LinkedHashSet<>();
        final Set<Integer> dropped = new LinkedHashSet<>();
        final List<String> unexpected = new ArrayList<>();
        final List<String> repeated = new ArrayList<>();
        final Set<String> known = columns();
        for (int index = 0; index < header.size(); index++) {
            final String name = normalise(header.get(index));
            if (name.isEmpty()) {
                unnamed.add(index);
            } else if (positions.containsKey(name)) {
                repeated.add(name);
            } else if (known.contains(name)) {
                positions.put(name, index);
            } else if (ignored.contains(name)) {
                dropped.add(index);
            } else {
                unexpected.add(header.get(index).trim());
            }
        }
        final List<String> missing = new ArrayList<>();
        required.stream().filter(column -> !positions.containsKey(column)).forEach(missing::add);
        oneOf.stream().filter(group -> group.stream().noneMatch(positions::containsKey))
                .forEach(group -> missing.add(String.join(" or ", group)));
        if (!missing.isEmpty() || !unexpected.isEmpty() || !repeated.isEmpty()) {
            throw new HeaderRefusedException(refusal(missing, unexpected, repeated));
        }
        return new HeaderLayout(header.size(), positions, unnamed, dropped);
    }

    private String refusal(final List<String> missing, final List<String> unexpected, final List<String> repeated) {
        final List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing column(s): " + String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            parts.add("unexpected column(s): " + unexpected.stream().collect(Collectors.joining(", "))
                    + " (columns outside the contract are refused so that personal data cannot enter by accident;"
                    + " to drop one, list it in intake.ignored.columns)");
        }
        if (!repeated.isEmpty()) {
            parts.add("repeated column(s): " + String.join(", ", repeated));
        }
        return "The header does not match the " + feed + " export contract: " + String.join("; ", parts)
                + ". Expected columns: " + describe() + ".";
    }
}
