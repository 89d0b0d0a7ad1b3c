package org.csphub.streams.periods;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.csphub.metrics.PeriodType;

/**
 * The partnership's reporting periods and their labels. Every period is reckoned from an event's
 * calendar month in Europe/London time, so a period is a set of months and never a fixed duration.
 */
public final class Periods {

    /** The time zone every partner date is read in. */
    public static final ZoneId LONDON = ZoneId.of("Europe/London");

    private Periods() {
    }

    /** The calendar month of an instant in Europe/London (00:30 BST on 1 October is October). */
    public static YearMonth month(final Instant instant) {
        return YearMonth.from(instant.atZone(LONDON));
    }

    public static YearMonth month(final LocalDate date) {
        return YearMonth.from(date);
    }

    /** The first year of the financial year (April to March) that holds {@code month}. */
    public static int financialYearStart(final YearMonth month) {
        return month.getMonthValue() >= 4 ? month.getYear() : month.getYear() - 1;
    }

    /** The financial-year quarter (1 = April to June) that holds {@code month}. */
    public static int financialQuarter(final YearMonth month) {
        return (month.getMonthValue() + 8) % 12 / 3 + 1;
    }

    /** The months of the financial year {@code start}/{@code start+1} elapsed up to and including {@code month}. */
    public static int monthsIntoFinancialYear(final YearMonth month) {
        return (month.getMonthValue() + 8) % 12 + 1;
    }

    /** The label of the period of {@code type} that holds {@code month} (for ROLLING_12M: the window ending in it). */
    public static String label(final PeriodType type, final YearMonth month) {
        return switch (type) {
            case MONTH -> month.toString();
            case QUARTER -> financialYearLabel(financialYearStart(month)) + " Q" + financialQuarter(month);
            case FINANCIAL_YEAR -> financialYearLabel(financialYearStart(month));
            case ROLLING_12M -> "12m to " + month;
        };
    }

    /** {@code 2020/21} for the year starting in April 2020. */
    public static String financialYearLabel(final int startYear) {
        return String.format("%d/%02d", startYear, (startYear + 1) % 100);
    }

    /** The months of the period of {@code type} that holds (or, for ROLLING_12M, ends in) {@code month}. */
    public static List<YearMonth> months(final PeriodType type, final YearMonth month) {
        final YearMonth first = switch (type) {
            case MONTH -> month;
            case QUARTER -> month.minusMonths((month.getMonthValue() + 8) % 3);
            case FINANCIAL_YEAR -> YearMonth.of(financialYearStart(month), 4);
            case ROLLING_12M -> month.minusMonths(11);
        };
        final int length = switch (type) {
            case MONTH -> 1;
            case QUARTER -> 3;
            case FINANCIAL_YEAR, ROLLING_12M -> 12;
        };
        final List<YearMonth> months = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            months.add(first.plusMonths(i));
        }
        return months;
    }

    /**
     * The calendar year the period of {@code type} identified by {@code anchor} starts in: the year whose
     * residents a count per 1,000 residents divides by ({@code 2020/21 Q4} is 2021, {@code 12m to 2020-09} 2019).
     */
    public static int startYear(final PeriodType type, final YearMonth anchor) {
        return months(type, anchor).get(0).getYear();
    }

    /** The month that identifies the previous period of {@code type} (the same month for ROLLING_12M a month earlier). */
    public static YearMonth previous(final PeriodType type, final YearMonth anchor) {
        return switch (type) {
            case MONTH, ROLLING_12M -> anchor.minusMonths(1);
            case QUARTER -> anchor.minusMonths(3);
            case FINANCIAL_YEAR -> anchor.minusMonths(12);
        };
    }

    /** The anchor month of a period: its last month, which identifies it for every type. */
    public static YearMonth anchor(final PeriodType type, final YearMonth month) {
        final List<YearMonth> months = months(type, month);
        return type == PeriodType.ROLLING_12M ? month : months.get(months.size() - 1);
    }
}
