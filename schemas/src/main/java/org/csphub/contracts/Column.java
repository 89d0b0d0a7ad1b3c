package org.csphub.contracts;

import java.util.OptionalInt;

/**
 * One column of a partner export and the record field it becomes.
 *
 * @param name         the column's name in the export header (for an area column, the name of its field;
 *                     the export's columns are the area's {@link ColumnType.Area#givenAs()})
 * @param field        the record field it becomes, e.g. {@code age_band} for {@code age}
 * @param doc          the field's documentation
 * @param presence     whether the column and its values must be given
 * @param defaultValue the value a blank or absent column takes, as written in the file ({@code no},
 *                     {@code 0}, an enum value), or null for none
 * @param limit        this column's own size limit in characters, over the kind's
 * @param type         the type and its attributes
 * @param label        how a message to a data officer names the column, e.g. {@code DASH score}
 */
public record Column(String name, String field, String doc, Presence presence, String defaultValue,
        OptionalInt limit, ColumnType type, String label) {

    /** A column whose messages name it by its {@link #defaultLabel(String) default label}. */
    public Column(final String name, final String field, final String doc, final Presence presence,
            final String defaultValue, final OptionalInt limit, final ColumnType type) {
        this(name, field, doc, presence, defaultValue, limit, type, defaultLabel(name));
    }

    /** The column's name in words: {@code risk_level} is {@code risk level}. */
    public static String defaultLabel(final String name) {
        return name.replace('_', ' ');
    }

    /** Whether an export must carry a column, and each row a value in it. */
    public enum Presence {
        /** In every file's header, with a value on every row. */
        REQUIRED,
        /** In every file's header; a row may leave it blank. */
        BLANK_ALLOWED,
        /** A file may leave the column out, and a row may leave it blank. */
        OPTIONAL
    }

    /** The column as a refusal names it: "an integer column", "an optional yes/no column". */
    public String describe() {
        final String label = type.label();
        if (mayBeBlank()) {
            return "an optional " + label + " column";
        }
        return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label + " column";
    }

    /** Whether a row may lack a value, so that the field needs a default or a null. */
    public boolean mayBeBlank() {
        return presence != Presence.REQUIRED;
    }
}
