package org.csphub.contracts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The type of an export column, with what that type needs to know. */
public sealed interface ColumnType {

    /** Every type's name as a contract writes it, in the order the messages list them. */
    List<String> NAMES = List.of("id", "date", "datetime", "enum", "integer", "yes/no", "area", "age", "person_ref");

    /** The name a contract writes, e.g. {@code yes/no}. */
    String label();

    /** The partner's own record reference: the Kafka key. */
    record Id() implements ColumnType {
        @Override
        public String label() {
            return "id";
        }
    }

    /** A calendar date (ISO-8601 or dd/MM/yyyy). */
    record Date() implements ColumnType {
        @Override
        public String label() {
            return "date";
        }
    }

    /** A local date and time, read as Europe/London; a date alone means midnight. */
    record DateTime() implements ColumnType {
        @Override
        public String label() {
            return "datetime";
        }
    }

    /**
     * One of a fixed list of values, an Avro enum.
     *
     * @param symbol   the Avro enum's name, e.g. {@code AsbCategory}
     * @param doc      the Avro enum's documentation
     * @param values   the allowed values, in the enum's order
     * @param banding  how the value is derived from an integer column when the row leaves it blank
     * @param within   the groups of another enum column its values belong to, e.g. an offence subgroup's group
     */
    record Enum(String symbol, String doc, List<String> values, Optional<Banding> banding, Optional<Within> within)
            implements ColumnType {
        public Enum {
            values = List.copyOf(values);
        }

        /** An enum neither banded nor grouped. */
        public Enum(final String symbol, final String doc, final List<String> values, final Optional<Banding> banding) {
            this(symbol, doc, values, banding, Optional.empty());
        }

        @Override
        public String label() {
            return "enum";
        }
    }

    /**
     * An integer column banded into an enum: the first band whose lower bound the value reaches.
     * DASH risk is one: 14 or more HIGH, 10 or more MEDIUM, else STANDARD.
     *
     * @param from  the integer column
     * @param bands highest lower bound first; the last one's bound is the integer column's minimum
     */
    record Banding(String from, List<Band> bands) {
        public Banding {
            bands = List.copyOf(bands);
        }

        /** The band of {@code value}. */
        public String bandOf(final int value) {
            return bands.stream().filter(band -> value >= band.atLeast()).findFirst()
                    .orElse(bands.get(bands.size() - 1)).value();
        }
    }

    record Band(String value, int atLeast) {
    }

    /**
     * An enum column's values grouped under the values of another enum column, each value in exactly
     * one group: an offence subgroup (VIOLENCE_WITH_INJURY) belongs to its group
     * (VIOLENCE_AGAINST_THE_PERSON), and a row giving both must give a subgroup of its group.
     *
     * @param column the enum column whose values are the groups
     * @param groups each group's values of this column, in the contract's order
     */
    record Within(String column, Map<String, List<String>> groups) {
        public Within {
            final Map<String, List<String>> copy = new LinkedHashMap<>();
            groups.forEach((group, values) -> copy.put(group, List.copyOf(values)));
            groups = Collections.unmodifiableMap(copy);
        }

        /** The values of {@code group}; none for a group the contract does not list. */
        public List<String> valuesOf(final String group) {
            return groups.getOrDefault(group, List.of());
        }

        /** Whether {@code value} belongs to {@code group}. */
        public boolean allows(final String group, final String value) {
            return valuesOf(group).contains(value);
        }
    }

    /** A whole number between {@code min} and {@code max} inclusive. */
    record Integer(int min, int max) implements ColumnType {
        @Override
        public String label() {
            return "integer";
        }
    }

    /** Yes or no (also Y/N, true/false, 1/0), a boolean. */
    record YesNo() implements ColumnType {
        @Override
        public String label() {
            return "yes/no";
        }
    }

    /**
     * Where the record happened, resolved against the reference geography into the shared
     * {@code org.csphub.geography.Area} record. A row gives at least one of {@code givenAs}.
     */
    record Area(List<AreaSource> givenAs) implements ColumnType {
        public Area {
            givenAs = List.copyOf(givenAs);
        }

        @Override
        public String label() {
            return "area";
        }

        /** Whether the area can name a ward, so that the family may publish wards. */
        public boolean hasWards() {
            return givenAs.contains(AreaSource.WARD) || givenAs.contains(AreaSource.LSOA);
        }
    }

    /** An export column an area may be given by. */
    enum AreaSource {
        WARD, LSOA, DISTRICT;

        /** The export column's name. */
        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** An age in years up to {@code max}, banded by the adapter into ONS five-year bands; never published. */
    record Age(int max) implements ColumnType {
        @Override
        public String label() {
            return "age";
        }
    }

    /** A person's reference in the agency's system, replaced by its keyed hash at the adapter. */
    record PersonRef() implements ColumnType {
        @Override
        public String label() {
            return "person_ref";
        }
    }
}
