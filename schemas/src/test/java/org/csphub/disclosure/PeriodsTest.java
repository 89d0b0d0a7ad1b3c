package org.csphub.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.csphub.metrics.PeriodType;
import org.junit.jupiter.api.Test;

class PeriodsTest {

    @Test
    void shouldStepEachKindOfPeriod() {
        assertThat(Periods.previous(PeriodType.MONTH, "2020-01")).contains("2019-12");
        assertThat(Periods.yearEarlier(PeriodType.MONTH, "2020-09")).contains("2019-09");
        assertThat(Periods.previous(PeriodType.QUARTER, "2020/21 Q1")).contains("2019/20 Q4");
        assertThat(Periods.next(PeriodType.QUARTER, "2019/20 Q4")).contains("2020/21 Q1");
        assertThat(Periods.yearEarlier(PeriodType.QUARTER, "2020/21 Q3")).contains("2019/20 Q3");
        assertThat(Periods.yearLater(PeriodType.FINANCIAL_YEAR, "2099/00")).contains("2100/01");
        assertThat(Periods.previous(PeriodType.ROLLING_12M, "12m to 2020-01")).contains("12m to 2019-12");
        assertThat(Periods.yearEarlier(PeriodType.ROLLING_12M, "12m to 2020-09")).contains("12m to 2019-09");
        assertThat(Periods.previous(PeriodType.QUARTER, "autumn")).isEqualTo(Optional.empty());
    }
}
