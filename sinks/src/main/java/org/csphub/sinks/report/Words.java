package org.csphub.sinks.report;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.csphub.disclosure.Periods;

/**
 * How the report writes numbers, percentages, changes and months. Percentages are rounded to the
 * nearest whole percent (halves up) unless a figure asks for one decimal; a change is the rounded
 * percentage of the earlier value.
 */
final class Words {

    static final Locale UK = Locale.UK;
    static final DateTimeFormatter UPDATED = DateTimeFormatter.ofPattern("d MMMM yyyy HH:mm 'UTC'", UK)
            .withZone(ZoneOffset.UTC);

    private Words() {
    }

    static String number(final double value) {
        return String.format(UK, "%,d", Math.round(value));
    }

    /** A rate with {@code decimals} decimals and thousands separated: {@code 16.1}. */
    static String decimal(final double value, final int decimals) {
        return String.format(UK, "%,." + decimals + "f", value);
    }

    static String percent(final double fraction, final int decimals) {
        return String.format(UK, decimals == 0 ? "%.0f%%" : "%.1f%%", fraction * 100);
    }

    /** The signed whole-percent change from {@code before} to {@code now}, e.g. {@code +5%}; empty: none. */
    static Optional<String> change(final Amount before, final Amount now) {
        if (!before.shown() || !now.shown() || before.value() == 0) {
            return Optional.empty();
        }
        // rounded first, so that a change under half a percent is +0%, never -0%
        return Optional.of(String.format(UK, "%+d%%", Math.round((now.value() - before.value()) / before.value()
                * 100)));
    }

    /** {@code a rise of 12%}, {@code a fall of 46%} or {@code no change}. */
    static Optional<String> risesAndFalls(final Amount before, final Amount now) {
        return change(before, now).map(change -> change.startsWith("-") ? "a fall of " + change.substring(1)
                : change.equals("+0%") ? "no change" : "a rise of " + change.substring(1));
    }

    /** {@code up 35%}, {@code down 12%} or {@code unchanged}. */
    static Optional<String> upAndDown(final Amount before, final Amount now) {
        return change(before, now).map(change -> change.startsWith("-") ? "down " + change.substring(1)
                : change.equals("+0%") ? "unchanged" : "up " + change.substring(1));
    }

    static String month(final YearMonth month) {
        return month.getMonth().getDisplayName(TextStyle.FULL, UK) + " " + month.getYear();
    }

    /** {@code April 2019 to March 2021}, as a data note gives the months covered. */
    static String months(final YearMonth first, final YearMonth last) {
        return first.equals(last) ? month(first) : month(first) + " to " + month(last);
    }

    /** A window in a sentence: a financial year as {@code 2020/21}, else {@code January to August 2020}. */
    static String window(final YearMonth first, final YearMonth last) {
        if (first.getMonthValue() == 4 && last.equals(first.plusMonths(11))) {
            return Periods.financialYear(first.getYear());
        }
        if (first.equals(last)) {
            return month(first);
        }
        if (first.getYear() == last.getYear()) {
            return first.getMonth().getDisplayName(TextStyle.FULL, UK) + " to " + month(last);
        }
        return months(first, last);
    }

    /** An enum value in words: {@code NOT_KNOWN} is {@code Not known}. */
    static String value(final String value) {
        return capitalised(value.toLowerCase(UK).replace('_', ' '));
    }

    static String capitalised(final String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static String joined(final List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
