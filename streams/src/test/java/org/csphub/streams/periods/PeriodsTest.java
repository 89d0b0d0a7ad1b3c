package org.csphub.streams.periods;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import org.csphub.metrics.PeriodType;
import org.junit.jupiter.api.Test;

class PeriodsTest {

    @Test
    void shouldReadMonthsInLondonTimeAcrossBothClockChanges() {
        assertThat(Periods.month(Instant.parse("2020-09-30T23:30:00Z"))).isEqualTo(YearMonth.of(2020, 10));
        assertThat(Periods.month(Instant.parse("2020-10-31T23:30:00Z"))).isEqualTo(YearMonth.of(2020, 10));
        assertThat(Periods.month(Instant.parse("2021-03-31T22:59:59Z"))).isEqualTo(YearMonth.of(2021, 3));
        assertThat(Periods.month(Instant.parse("2021-03-31T23:00:00Z"))).isEqualTo(YearMonth.of(2021, 4));
    }

    @Test
    void shouldLabelEveryPeriodTypeAsThePartnershipReports() {
        final YearMonth october = YearMonth.of(2020, 10);
        assertThat(Periods.label(PeriodType.MONTH, october)).isEqualTo("2020-10");
        assertThat(Periods.label(PeriodType.QUARTER, october)).isEqualTo("2020/21 Q3");
        assertThat(Periods.label(PeriodType.QUARTER, YearMonth.of(2021, 3))).isEqualTo("2020/21 Q4");
        assertThat(Periods.label(PeriodType.QUARTER, YearMonth.of(2021, 4))).isEqualTo("2021/22 Q1");
        assertThat(Periods.label(PeriodType.FINANCIAL_YEAR, YearMonth.of(2000, 1))).isEqualTo("1999/00");
        assertThat(Periods.label(PeriodType.ROLLING_12M, YearMonth.of(2020, 9))).isEqualTo("12m to 2020-09");
    }

    @Test
    void shouldListTheMonthsOfEachPeriod() {
        assertThat(Periods.months(PeriodType.QUARTER, YearMonth.of(2021, 2)))
                .containsExactly(YearMonth.of(2021, 1), YearMonth.of(2021, 2), YearMonth.of(2021, 3));
        assertThat(Periods.months(PeriodType.ROLLING_12M, YearMonth.of(2020, 9)))
                .startsWith(YearMonth.of(2019, 10)).endsWith(YearMonth.of(2020, 9)).hasSize(12);
        assertThat(Periods.months(PeriodType.FINANCIAL_YEAR, YearMonth.of(2021, 3)))
                .startsWith(YearMonth.of(2020, 4)).endsWith(YearMonth.of(2021, 3)).hasSize(12);
        assertThat(Periods.monthsIntoFinancialYear(YearMonth.of(2021, 2))).isEqualTo(11);
    }

    @Test
    void shouldGiveTheCalendarYearAPeriodStartsInForItsResidents() {
        // a financial year and its first three quarters start in April; its fourth quarter in January
        assertThat(Periods.startYear(PeriodType.MONTH, YearMonth.of(2021, 2))).isEqualTo(2021);
        assertThat(Periods.startYear(PeriodType.QUARTER, YearMonth.of(2020, 12))).isEqualTo(2020);
        assertThat(Periods.startYear(PeriodType.QUARTER, YearMonth.of(2021, 3))).isEqualTo(2021);
        assertThat(Periods.startYear(PeriodType.FINANCIAL_YEAR, YearMonth.of(2021, 3))).isEqualTo(2020);
        // October 2019 to September 2020
        assertThat(Periods.startYear(PeriodType.ROLLING_12M, YearMonth.of(2020, 9))).isEqualTo(2019);
        assertThat(Periods.startYear(PeriodType.ROLLING_12M, YearMonth.of(2020, 12))).isEqualTo(2020);
    }
}
