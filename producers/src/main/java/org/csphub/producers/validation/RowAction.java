package org.csphub.producers.validation;

/** What a row asks for: the record replaces any earlier one with its id, or retracts it. */
public enum RowAction {
    UPSERT,
    DELETE
}
