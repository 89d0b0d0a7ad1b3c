package org.csphub.contracts;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feed's section of the Strategic Assessment, as the {@code report} block of its contract describes
 * it: the report's own description of the feed's figures, which {@link ReportReader} has checked
 * against the feed's family. The format is described in docs/contracts.md.
 *
 * @param section the section's id (its anchor); feeds naming the same id share one section
 * @param title   the section's heading; empty for a feed that adds figures to another feed's section
 * @param intro   a paragraph before the figures, if any
 * @param source  what the feed is, in the figures' data notes (its topics are added)
 * @param unit    what the feed's first count counts, plural and lower case, e.g. {@code incidents}
 * @param figures the section's figures, in order
 */
public record ReportSpec(String section, Optional<String> title, Optional<String> intro, String source,
        String unit, List<Figure> figures) {

    public ReportSpec {
        figures = List.copyOf(figures);
    }

    /** What a figure shows. */
    public enum Kind {
        /** A count by month over the report's year and the year before (line chart), the years compared. */
        TREND,
        /** A count in one window against another, as a rise or fall. */
        CHANGE,
        /** A breakdown's values' shares of a count over a window. */
        SHARES,
        /** The city's wards with the largest shares of a count over a window, with a bar chart if asked. */
        WARDS,
        /** One or more counts (or sums) over a window. */
        TOTAL,
        /** A count by a breakdown's values in the report's year and the year before (bar chart). */
        YEARS,
        /** A table of a count by quarter of the report's year, a row per area or breakdown value. */
        QUARTERS,
        /**
         * The partnership's districts ranked by a count per 1,000 residents in two calendar years, beside
         * the counts, naming the district with the highest rate and the one with the most.
         */
        DISTRICTS;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whose figures: the report's city (a district) or the whole partnership. */
    public enum Area {
        CITY, PARTNERSHIP
    }

    /**
     * One figure. Which keys a kind uses is in docs/contracts.md; a key a kind does not use is refused
     * when the contract is read.
     *
     * @param kind       what it shows
     * @param id         its id on the page ({@code figure-<id>}, {@code chart-<id>})
     * @param area       the city or the partnership
     * @param count      the count it shows (the first of {@code counts})
     * @param counts     every count it shows (a total may show several)
     * @param by         a breakdown column: the value of {@code value}, or the shares' or years' breakdown
     * @param value      a value of {@code by}, for a change in one value
     * @param within     a shares figure's parent breakdown value: its column and value
     * @param values     the values of {@code by} shown, in order; empty: every value of the column
     * @param labels     how values are named; unnamed ones are the value in words (NOT_KNOWN: Not known)
     * @param window     the months it covers
     * @param against    the months a change compares with
     * @param top        how many wards or shares to name; 0: all
     * @param chart      whether a wards figure draws its bar chart
     * @param heading    the figure's heading (charts and tables)
     * @param text       its sentence(s), with placeholders in braces and optional parts in brackets
     * @param item       how one ward or share is written, e.g. {@code {ward} {share}}
     * @param decimals   the decimals of a percentage: 0 (the nearest whole percent) or 1
     * @param rates      a quarters table's rate columns; a districts table's count per 1,000 residents
     * @param years      a districts table's two calendar years, in order
     * @param rows       a quarters table's rows
     * @param firstColumn a quarters table's heading of its first column
     */
    public record Figure(Kind kind, String id, Area area, String count, List<String> counts, Optional<String> by,
            Optional<String> value, Optional<Within> within, List<String> values, Map<String, String> labels,
            Window window, Optional<Window> against, int top, boolean chart, Optional<String> heading,
            Optional<String> text, Optional<String> item, int decimals, List<String> rates, List<Row> rows,
            Optional<String> firstColumn, List<Integer> years) {

        public Figure {
            counts = List.copyOf(counts);
            values = List.copyOf(values);
            labels = Map.copyOf(labels);
            rates = List.copyOf(rates);
            rows = List.copyOf(rows);
            years = List.copyOf(years);
        }
    }

    /** A parent breakdown's value that shares are taken within, e.g. offence_group VIOLENCE_AGAINST_THE_PERSON. */
    public record Within(String column, String value) {
    }

    /**
     * A quarters table's row: the partnership's total ({@code by} empty), one breakdown value, or with
     * {@code eachDistrict} a row per district.
     */
    public record Row(Optional<String> label, Optional<String> by, Optional<String> value, boolean eachDistrict,
            boolean total) {
    }

    /**
     * Months from {@code from} to {@code to}, each bound a month or an offset from the first month (April)
     * of the report's financial year; {@code yearEarlier}: the months a year before the window compared.
     */
    public record Window(Bound from, Bound to, boolean yearEarlier) {

        /** The report's financial year. */
        public static final Window YEAR = new Window(new Bound(Optional.empty(), 0), new Bound(Optional.empty(), 11),
                false);

        /** The first and last months for a report whose year starts in April of {@code startYear}. */
        public YearMonth first(final int startYear) {
            return from.month(startYear);
        }

        public YearMonth last(final int startYear) {
            return to.month(startYear);
        }
    }

    /** A month, or an offset in months from April of the report's first year. */
    public record Bound(Optional<YearMonth> absolute, int offset) {

        public YearMonth month(final int startYear) {
            return absolute.orElseGet(() -> YearMonth.of(startYear, 4).plusMonths(offset));
        }
    }
}
