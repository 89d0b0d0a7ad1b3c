package org.csphub.streams;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/**
 * The shipped population file read line by line, apart from the hub's own reader: residents by area
 * code and year, the partnership's the sum of its districts' (ONS district codes start E06 or E07).
 */
final class PopulationFile {

    private final Map<String, Long> residents = new HashMap<>();
    private final Map<Integer, Long> partnership = new HashMap<>();

    PopulationFile() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                PopulationFile.class.getResourceAsStream("/geography/population.csv"), StandardCharsets.UTF_8))) {
            reader.lines().filter(line -> !line.startsWith("#") && !line.startsWith("AREACD")).forEach(line -> {
                final String[] cells = line.split(",");
                // a name may hold commas: the code is first, the year and population last
                final String code = cells[0];
                final int year = Integer.parseInt(cells[cells.length - 2]);
                final long people = Long.parseLong(cells[cells.length - 1]);
                residents.put(code + "|" + year, people);
                if (code.startsWith("E06") || code.startsWith("E07")) {
                    partnership.merge(year, people, Long::sum);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The residents of an area in a year, failing when the file has no such figure. */
    long of(final AreaType type, final String code, final int year) {
        final Long people = type == AreaType.CSP ? partnership.get(year) : residents.get(code + "|" + year);
        if (people == null) {
            throw new IllegalStateException("The population file has no figure for " + code + " in " + year);
        }
        return people;
    }

    /** The calendar year a period starts in, from its type and last month. */
    static int startYear(final PeriodType type, final YearMonth anchor) {
        return switch (type) {
            case MONTH -> anchor.getYear();
            case QUARTER -> anchor.minusMonths(2).getYear();
            case FINANCIAL_YEAR, ROLLING_12M -> anchor.minusMonths(11).getYear();
        };
    }
}
