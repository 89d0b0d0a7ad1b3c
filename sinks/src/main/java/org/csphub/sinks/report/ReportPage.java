package org.csphub.sinks.report;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.disclosure.Periods;
import org.csphub.geography.District;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/**
 * The metrics of one report in its audience's view (published, or the partners' full figures), looked up by cell or summed over a window of months, with the
 * report's year, city and the running numbers of its figures and tables.
 */
final class ReportPage {

    private final Map<MetricCell, AreaMetric> byCell = new LinkedHashMap<>();
    final List<AreaMetric> published;
    final int year;
    final String fy;
    final String fyBefore;
    final District city;
    final Geography geography;
    final DisclosureControl disclosure;
    /** Whether the page shows the full figures (the partners' view): then nothing is withheld here either. */
    final boolean fullFigures;
    private int figures;
    private int tables;

    ReportPage(final List<AreaMetric> published, final int year, final District city, final Geography geography,
            final DisclosureControl disclosure, final boolean fullFigures) {
        this.published = published;
        published.forEach(metric -> byCell.put(MetricCell.of(metric), metric));
        this.year = year;
        this.fy = Periods.financialYear(year);
        this.fyBefore = Periods.financialYear(year - 1);
        this.city = city;
        this.geography = geography;
        this.disclosure = disclosure;
        this.fullFigures = fullFigures;
    }

    int nextFigure() {
        return ++figures;
    }

    int nextTable() {
        return ++tables;
    }

    AreaMetric cell(final String metric, final String dimension, final String value, final AreaType areaType,
            final String code, final PeriodType periodType, final String period) {
        return byCell.get(new MetricCell(metric, dimension, value, areaType, code, periodType, period));
    }

    /** One published cell as an amount, noted in {@code note} when there. */
    static Amount amountOf(final AreaMetric cell, final FigureNote note) {
        if (cell == null) {
            return Amount.ABSENT;
        }
        note.use(cell);
        if (cell.getSuppressed()) {
            return Amount.WITHHELD;
        }
        return cell.getValue() == null ? Amount.ABSENT : Amount.of(cell.getValue());
    }

    /**
     * A count over the months {@code first} to {@code last}: the published cell of that period where
     * there is one (a financial year, the twelve months to a month, a quarter, a month), else the sum of
     * the largest published periods that make up the window (financial years, then quarters, then
     * months; a month without a value counted 0). Withheld when a part is withheld or the sum is a small
     * count; absent when no part is there.
     */
    Amount count(final String metric, final String dimension, final String value, final AreaType areaType,
            final String code, final YearMonth first, final YearMonth last, final FigureNote note) {
        final AreaMetric whole = single(metric, dimension, value, areaType, code, first, last);
        if (whole != null) {
            return amountOf(whole, note);
        }
        final List<AreaMetric> parts = new ArrayList<>();
        YearMonth month = first;
        while (!month.isAfter(last)) {
            final int startYear = month.getMonthValue() >= 4 ? month.getYear() : month.getYear() - 1;
            final AreaMetric year = month.getMonthValue() == 4 && !month.plusMonths(11).isAfter(last)
                    ? cell(metric, dimension, value, areaType, code, PeriodType.FINANCIAL_YEAR,
                            Periods.financialYear(startYear)) : null;
            final AreaMetric quarter = year == null && (month.getMonthValue() - 1) % 3 == 0
                    && !month.plusMonths(2).isAfter(last)
                    ? cell(metric, dimension, value, areaType, code, PeriodType.QUARTER,
                            Periods.quarter(startYear, (month.getMonthValue() + 8) % 12 / 3 + 1)) : null;
            if (year != null) {
                parts.add(year);
                month = month.plusMonths(12);
            } else if (quarter != null) {
                parts.add(quarter);
                month = month.plusMonths(3);
            } else {
                final AreaMetric one = cell(metric, dimension, value, areaType, code, PeriodType.MONTH,
                        month.toString());
                if (one != null) {
                    parts.add(one);
                }
                month = month.plusMonths(1);
            }
        }
        if (parts.isEmpty()) {
            return Amount.ABSENT;
        }
        double sum = 0;
        boolean withheld = false;
        for (final AreaMetric part : parts) {
            note.use(part);
            withheld |= part.getSuppressed();
            sum += part.getValue() == null ? 0 : part.getValue();
        }
        // a sum of shown parts may itself be small: it is withheld as a count of its own would be
        return withheld || !fullFigures && disclosure.policyOf(new MetricCell(metric, dimension, value, areaType,
                code, PeriodType.MONTH, first.toString())).withholds(sum) ? Amount.WITHHELD : Amount.of(sum);
    }

    /** The published cell of exactly the window's period, if the window is one and the cell is there. */
    AreaMetric single(final String metric, final String dimension, final String value, final AreaType areaType,
            final String code, final YearMonth first, final YearMonth last) {
        final int months = (last.getYear() - first.getYear()) * 12 + last.getMonthValue() - first.getMonthValue() + 1;
        final int startYear = first.getMonthValue() >= 4 ? first.getYear() : first.getYear() - 1;
        if (months == 1) {
            return cell(metric, dimension, value, areaType, code, PeriodType.MONTH, first.toString());
        }
        if (months == 3 && (first.getMonthValue() - 1) % 3 == 0) {
            return cell(metric, dimension, value, areaType, code, PeriodType.QUARTER,
                    Periods.quarter(startYear, (first.getMonthValue() + 8) % 12 / 3 + 1));
        }
        if (months == 12) {
            final AreaMetric year = first.getMonthValue() == 4 ? cell(metric, dimension, value, areaType, code,
                    PeriodType.FINANCIAL_YEAR, Periods.financialYear(startYear)) : null;
            return year != null ? year : cell(metric, dimension, value, areaType, code, PeriodType.ROLLING_12M,
                    "12m to " + last);
        }
        return null;
    }

    /** The city's wards that have a value of {@code metric} (its total), by code, with their names. */
    Map<String, String> cityWards(final String metric) {
        final Map<String, String> wards = new LinkedHashMap<>();
        final Set<String> outside = new LinkedHashSet<>();
        for (final AreaMetric cell : published) {
            if (!cell.getMetric().equals(metric) || cell.getDimension() != null || cell.getAreaType() != AreaType.WARD
                    || outside.contains(cell.getAreaCode())) {
                continue;
            }
            if (geography.wardByCode(cell.getAreaCode()).map(ward -> ward.district().equals(city)).orElse(false)) {
                wards.putIfAbsent(cell.getAreaCode(), cell.getAreaName());
            } else {
                outside.add(cell.getAreaCode());
            }
        }
        return wards;
    }
}
