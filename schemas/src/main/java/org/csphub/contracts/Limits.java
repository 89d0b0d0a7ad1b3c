package org.csphub.contracts;

/**
 * How long a value of the feed's exports may be, in characters: an id, an area (a ward or district
 * name, an LSOA code), any other value, and a whole row; a column may set its own. A value over its
 * limit refuses its row, never the file.
 */
public record Limits(int id, int area, int value, int row) {

    /** Ids 128 characters, area names 200, any value 4 KiB, a row 64 KiB. */
    public static final Limits DEFAULTS = new Limits(128, 200, 4096, 65_536);
}
