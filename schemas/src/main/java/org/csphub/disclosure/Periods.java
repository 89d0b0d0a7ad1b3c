package org.csphub.disclosure;

import java.time.YearMonth;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.csphub.metrics.PeriodType;

/**
 * Arithmetic on period labels as the topologies write them: {@code 2020-09}, {@code 2020/21 Q3},
 * {@code 2020/21} and {@code 12m to 2020-09}. An unrecognised label has no neighbours.
 */
public final class Periods {

    private static final Pattern QUARTER = Pattern.compile("(\\d{4})/(\\d{2}) Q([1-4])");
    private static final Pattern FINANCIAL_YEAR = Pattern.compile("(\\d{4})/(\\d{2})");
    private static final String ROLLING_PREFIX = "12m to ";

    private Periods() {
    }

    /** The period before {@code label} of the same type. */
    public static Optional<String> previous(final PeriodType type, final String label) {
        return shift(type, label, -1);
    }

    /** The period after {@code label} of the same type. */
    public static Optional<String> next(final PeriodType type, final String label) {
        return shift(type, label, 1);
    }

    /** The same period a year earlier. */
    public static Optional<String> yearEarlier(final PeriodType type, final String label) {
        return shiftYears(type, label, -1);
    }

    /** The same period a year later. */
    public static Optional<String> yearLater(final PeriodType type, final String label) {
        return shiftYears(type, label, 1);
    }

    /** The label of the financial year starting in April of {@code startYear}, e.g. {@code 2020/21}. */
    public static String financialYear(final int startYear) {
        return String.format("%d/%02d", startYear, (startYear + 1) % 100);
    }

    /** The first year of a financial-year label ({@code 2020/21} gives 2020). */
    public static Optional<Integer> financialYearStart(final String label) {
        final Matcher matcher = FINANCIAL_YEAR.matcher(label.trim());
        return matcher.matches() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }

    /** The label of quarter {@code quarter} (1 to 4) of the financial year starting in {@code startYear}. */
    public static String quarter(final int startYear, final int quarter) {
        return financialYear(startYear) + " Q" + quarter;
    }

    private static Optional<String> shift(final PeriodType type, final String label, final int steps) {
        switch (type) {
            case MONTH:
                return month(label).map(month -> month.plusMonths(steps).toString());
            case ROLLING_12M:
                return rolling(label).map(month -> ROLLING_PREFIX + month.plusMonths(steps));
            case FINANCIAL_YEAR:
                return financialYearStart(label).map(year -> financialYear(year + steps));
            case QUARTER:
                final Matcher matcher = QUARTER.matcher(label.trim());
                if (!matcher.matches()) {
                    return Optional.empty();
                }
                final int index = Integer.parseInt(matcher.group(1)) * 4 + Integer.parseInt(matcher.group(3)) - 1
                        + steps;
                return Optional.of(quarter(Math.floorDiv(index, 4), Math.floorMod(index, 4) + 1));
            default:
                return Optional.empty();
        }
    }

    private static Optional<String> shiftYears(final PeriodType type, final String label, final int years) {
        return switch (type) {
            case MONTH, ROLLING_12M -> shift(type, label, 12 * years);
            case QUARTER -> shift(type, label, 4 * years);
            case FINANCIAL_YEAR -> shift(type, label, years);
        };
    }

    private static Optional<YearMonth> month(final String label) {
        try {
            return Optional.of(YearMonth.parse(label.trim()));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<YearMonth> rolling(final String label) {
        return label.startsWith(ROLLING_PREFIX) ? month(label.substring(ROLLING_PREFIX.length())) : Optional.empty();
    }
}
