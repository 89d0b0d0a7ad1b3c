package org.csphub.producers.validation;

/** The stable, machine-readable reasons a row is refused; each {@code RejectionReason.code} is one of these. */
public enum RejectionCode {
    /** A required value is blank. */
    MISSING_VALUE,
    /** A second row carries an id already used by an earlier row of the same file. */
    DUPLICATE_ID,
    /** A date or date-time that none of the accepted forms reads. */
    BAD_DATE,
    /** A date after the moment the row was received. */
    FUTURE_DATE,
    /** A value outside the column's list of valid values. */
    NOT_IN_ENUM,
    /** A value that is not one of those its group (another column's value) allows, e.g. an offence subgroup of another group. */
    NOT_IN_GROUP,
    /** A value that should be a whole number and is not. */
    BAD_NUMBER,
    /** A number outside the column's valid range. */
    OUT_OF_RANGE,
    /** A yes/no column holding something else. */
    BAD_BOOLEAN,
    /** A ward that is neither an ONS ward code nor the name of a ward in force on the row's date. */
    UNKNOWN_WARD,
    /** A ward code of a boundary set that was not in force on the row's date. */
    WARD_NOT_IN_FORCE,
    /** An LSOA code that the reference lookup does not map to a ward in force on the row's date. */
    UNKNOWN_LSOA,
    /** A district that is neither an ONS district code, a district name nor a known alias. */
    UNKNOWN_DISTRICT,
    /** Two area columns that name different places. */
    AREA_MISMATCH,
    /** A row whose number of fields differs from the header's. */
    WRONG_FIELD_COUNT,
    /** A value under a column without a name. */
    UNNAMED_COLUMN,
    /** A stretch of the file that cannot be read as a row (broken quoting, for example). */
    UNREADABLE_ROW,
    /** A value longer than its column's limit in the contract. */
    VALUE_TOO_LONG,
    /** A row whose values together are longer than the contract's limit for a row. */
    ROW_TOO_LONG
}
