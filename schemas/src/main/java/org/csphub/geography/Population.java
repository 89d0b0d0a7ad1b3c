package org.csphub.geography;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.csphub.metrics.AreaType;

/**
 * Residents by area and year, in the layout of the ONS mid-year estimates ({@code AREACD,AREANM,YEAR,POPULATION}:
 * one row per ward or district and year; lines starting with {@code #} are comments). The partnership's
 * figure is the sum of its districts'.
 *
 * <p>Checked on load against the geography: every code is a ward or district of it, no area and year is
 * given twice, and for every year from the file's first to its last, every district and every ward in
 * force on any day of that year has a figure. A year outside the file takes the area's nearest year that
 * the file has (ONS publishes a year or more behind).
 *
 * @param source    where the figures were read from, for messages
 * @param residents area code → year → residents
 * @param districts the districts whose sum is the partnership's figure
 * @param comment   the file's comment before its header (what the figures are and where they come from), or ""
 */
public record Population(String source, Map<String, SortedMap<Integer, Long>> residents, List<String> districts,
        String comment) {

    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).setCommentMarker('#').get();
    private static final List<String> HEADER = List.of("AREACD", "YEAR", "POPULATION");

    /** No figures: every rate per resident is null. */
    public static final Population NONE = new Population("no population file", Map.of(), List.of(), "");

    public Population {
        final Map<String, SortedMap<Integer, Long>> copy = new TreeMap<>();
        residents.forEach((code, years) -> copy.put(code, Collections.unmodifiableSortedMap(new TreeMap<>(years))));
        residents = Collections.unmodifiableMap(copy);
        districts = List.copyOf(districts);
    }

    /** Reads and checks a population file against {@code geography}. */
    public static Population read(final Reader reader, final String source, final Geography geography) {
        final Map<String, SortedMap<Integer, Long>> residents = new TreeMap<>();
        final Map<String, Long> lines = new TreeMap<>();
        final String comment;
        try (CSVParser parser = CSV.parse(reader)) {
            comment = parser.hasHeaderComment() ? parser.getHeaderComment() : "";
            final List<String> header = parser.getHeaderNames().stream()
                    .map(name -> name.trim().toUpperCase(Locale.ROOT)).toList();
            if (!header.containsAll(HEADER)) {
                throw new IllegalArgumentException(source + ": the header " + parser.getHeaderNames() + " lacks "
                        + HEADER.stream().filter(name -> !header.contains(name)).toList()
                        + "; expected the ONS mid-year estimate layout AREACD,AREANM,YEAR,POPULATION");
            }
            final Map<String, String> columns = new TreeMap<>();
            parser.getHeaderNames().forEach(name -> columns.put(name.trim().toUpperCase(Locale.ROOT), name));
            for (final CSVRecord row : parser) {
                final String where = source + ", line " + parser.getCurrentLineNumber();
                final String code = row.get(columns.get("AREACD")).toUpperCase(Locale.ROOT);
                if (geography.district(code).filter(d -> d.code().equals(code)).isEmpty()
                        && geography.wardByCode(code).isEmpty()) {
                    throw new IllegalArgumentException(where + ": '" + code + "' is neither a ward nor a district of "
                            + geography.cspName() + "; give the ONS code of one of its "
                            + geography.districts().size() + " districts or their wards");
                }
                final int year = whole(row.get(columns.get("YEAR")), where, "YEAR", 1800, 2200);
                final long people = whole(row.get(columns.get("POPULATION")), where, "POPULATION", 1, 100_000_000);
                final Long earlier = lines.put(code + "|" + year, parser.getCurrentLineNumber());
                if (earlier != null) {
                    throw new IllegalArgumentException(where + ": " + code + " in " + year + " is given twice (first"
                            + " on line " + earlier + ")");
                }
                residents.computeIfAbsent(code, key -> new TreeMap<>()).put(year, people);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the population file " + source, e);
        }
        final Population population = new Population(source, residents,
                geography.districts().stream().map(District::code).toList(), comment);
        population.checkCovers(geography);
        return population;
    }

    private static int whole(final String text, final String where, final String column, final int min,
            final int max) {
        try {
            final long value = Long.parseLong(text.replace(",", ""));
            if (value >= min && value <= max) {
                return (int) value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(where + ": " + column + " '" + text + "' is not a whole number from "
                + min + " to " + max);
    }

    /** Every district, and every ward in force on some day of a year, has a figure for each year of the file. */
    private void checkCovers(final Geography geography) {
        final List<Integer> years = years();
        if (years.isEmpty()) {
            throw new IllegalArgumentException(source + ": no figures; give a row per area and year");
        }
        final List<String> missing = new ArrayList<>();
        for (int year = years.get(0); year <= years.get(years.size() - 1); year++) {
            final LocalDate first = LocalDate.of(year, 1, 1);
            final LocalDate last = LocalDate.of(year, 12, 31);
            for (final District district : geography.districts()) {
                if (!has(district.code(), year)) {
                    missing.add("district " + district.code() + " (" + district.name() + ") in " + year);
                }
            }
            for (final Ward ward : wardsDuring(geography, first, last)) {
                if (!has(ward.code(), year)) {
                    missing.add("ward " + ward.code() + " (" + ward.name() + ", " + ward.district().name() + ") in "
                            + year);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(source + ": no population for " + String.join(", ",
                    missing.subList(0, Math.min(10, missing.size()))) + (missing.size() > 10 ? " and "
                    + (missing.size() - 10) + " more" : "") + "; every district, and every ward in force during a "
                    + "year, needs a figure for each year from " + years.get(0) + " to " + years.get(years.size() - 1));
        }
    }

    private static List<Ward> wardsDuring(final Geography geography, final LocalDate first, final LocalDate last) {
        return geography.allWards().stream()
                .filter(ward -> !ward.validFrom().isAfter(last) && !ward.validTo().isBefore(first)).toList();
    }

    private boolean has(final String code, final int year) {
        return residents.getOrDefault(code, Collections.emptySortedMap()).containsKey(year);
    }

    /**
     * What the figures are, for a data note: the first line of the file's comment and the first address
     * it gives, else the file's name.
     */
    public String description() {
        final String firstLine = comment.lines().map(String::trim).filter(line -> !line.isEmpty()).findFirst()
                .orElse("");
        final String address = comment.lines().flatMap(line -> java.util.Arrays.stream(line.split("\\s+")))
                .filter(word -> word.startsWith("https://") || word.startsWith("http://")).findFirst().orElse("");
        return source + (firstLine.isEmpty() ? "" : ": " + firstLine) + (address.isEmpty() ? "" : " (" + address + ")");
    }

    /** The years the file gives, in order. */
    public List<Integer> years() {
        final TreeMap<Integer, Boolean> years = new TreeMap<>();
        residents.values().forEach(byYear -> byYear.keySet().forEach(year -> years.put(year, true)));
        return List.copyOf(years.keySet());
    }

    /**
     * The residents of a ward or district in {@code year}: that year's figure, else the nearest year's
     * the file has for the area (the earlier of two as near); empty for an area it does not give.
     */
    public OptionalLong of(final String code, final int year) {
        final SortedMap<Integer, Long> years = residents.get(code);
        if (years == null || years.isEmpty()) {
            return OptionalLong.empty();
        }
        final Long exact = years.get(year);
        if (exact != null) {
            return OptionalLong.of(exact);
        }
        final SortedMap<Integer, Long> before = years.headMap(year);
        final SortedMap<Integer, Long> after = years.tailMap(year);
        if (after.isEmpty() || !before.isEmpty() && year - before.lastKey() <= after.firstKey() - year) {
            return OptionalLong.of(before.get(before.lastKey()));
        }
        return OptionalLong.of(after.get(after.firstKey()));
    }

    /**
     * The residents of an area of a metric in {@code year}: a ward's or district's as {@link #of(String, int)}
     * gives it; the partnership's, the sum of its districts' (empty when one has none).
     */
    public OptionalLong of(final AreaType type, final String code, final int year) {
        if (type != AreaType.CSP) {
            return of(code, year);
        }
        long total = 0;
        for (final String district : districts) {
            final OptionalLong residents = of(district, year);
            if (residents.isEmpty()) {
                return OptionalLong.empty();
            }
            total += residents.getAsLong();
        }
        return districts.isEmpty() ? OptionalLong.empty() : OptionalLong.of(total);
    }
}
