package org.csphub.sinks.report;

import static org.csphub.sinks.MetricFixtures.CAMBRIDGE;
import static org.csphub.sinks.MetricFixtures.CSP;
import static org.csphub.sinks.MetricFixtures.metric;
import static org.csphub.sinks.MetricFixtures.ratio;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.geography.District;
import org.csphub.geography.Geography;
import org.csphub.geography.Ward;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/**
 * A hand-made metric set for 2019/20 and 2020/21, with figures worked out by hand:
 * Cambridge's monthly ASB incidents are 45 + i in 2019/20 (606) and 50 + i in 2020/21 with 13 more in
 * March (679);
 * IDVA referrals per quarter total 235, 245, 255, 265 (1,000 in the year) against 223, 233, 243, 253
 * (952) a year before; Cambridge's wards have 10 + 7 × i ASB incidents (i in name order) except the
 * last, which has 3, so 679 in all; fires by cause are 60, 100 and 17 (177) against 70, 110 and 12.
 */
final class ReportFixtures {

    static final Geography GEOGRAPHY = Geography.defaults();
    static final String CSP_NAME = "Cambridgeshire and Peterborough";
    static final Instant GENERATED = Instant.parse("2021-04-06T08:00:00Z");
    static final StrategicAssessmentReport.Options OPTIONS = new StrategicAssessmentReport.Options("2020/21",
            CAMBRIDGE, GENERATED);

    private ReportFixtures() {
    }

    static DisclosureControl disclosure() {
        return new DisclosureControl(5, code -> GEOGRAPHY.wardByCode(code).map(ward -> ward.district().code()));
    }

    static List<Ward> cambridgeWards() {
        return GEOGRAPHY.wards(GEOGRAPHY.district(CAMBRIDGE).orElseThrow(), LocalDate.of(2020, 6, 1));
    }

    static List<AreaMetric> metrics() {
        final List<AreaMetric> metrics = new ArrayList<>();
        for (int fy = 2019; fy <= 2020; fy++) {
            final String year = fy + "/" + (fy + 1) % 100;
            double asbYear = 0;
            for (int i = 0; i < 12; i++) {
                final YearMonth month = YearMonth.of(fy, 4).plusMonths(i);
                final double value = fy == 2020 ? 50 + i + (i == 11 ? 13 : 0) : 45 + i;
                asbYear += value;
                metrics.add(metric("asb.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge",
                        PeriodType.MONTH, month.toString(), value));
            }
            if (fy == 2019) {
                // 2020/21's year total (679, the sum of its months) comes with its wards below
                metrics.add(metric("asb.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge",
                        PeriodType.FINANCIAL_YEAR, year, asbYear));
            }
            idva(metrics, fy, year);
            fires(metrics, fy, year);
        }
        wards(metrics, "asb.incidents", "asb.ward_share", 0);
        wards(metrics, "ambulance.callouts", "ambulance.ward_share", 2);
        return metrics;
    }

    private static void wards(final List<AreaMetric> metrics, final String count, final String share,
            final int offset) {
        final List<Ward> wards = cambridgeWards();
        final List<Long> values = new ArrayList<>();
        for (int i = 0; i < wards.size(); i++) {
            values.add(i == wards.size() - 1 ? 3L : 10L + 7L * i + offset);
        }
        final long district = values.stream().mapToLong(Long::longValue).sum();
        for (int i = 0; i < wards.size(); i++) {
            final Ward ward = wards.get(i);
            final AreaMetric wardCount = metric(count, null, null, AreaType.WARD, ward.code(), ward.name(),
                    PeriodType.FINANCIAL_YEAR, "2020/21", (double) values.get(i));
            metrics.add(wardCount);
            metrics.add(ratio(metric(share, null, null, AreaType.WARD, ward.code(), ward.name(),
                    PeriodType.FINANCIAL_YEAR, "2020/21", null), values.get(i), district));
        }
        metrics.add(metric(count, null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge", PeriodType.FINANCIAL_YEAR,
                "2020/21", (double) district));
    }

    private static void idva(final List<AreaMetric> metrics, final int fy, final String year) {
        final int base = fy == 2020 ? 20 : 18;
        final List<District> districts = List.copyOf(GEOGRAPHY.districts());
        final List<String> strands = List.of("A8", "YOUNG_PEOPLE", "HEALTH", "DA_STALKING");
        for (int d = 0; d < districts.size(); d++) {
            long yearTotal = 0;
            for (int q = 1; q <= 4; q++) {
                final long value = base + 5L * d + q;
                yearTotal += value;
                metrics.add(metric("idva.referrals", "strand", "DISTRICT", AreaType.DISTRICT, districts.get(d).code(),
                        districts.get(d).name(), PeriodType.QUARTER, year + " Q" + q, (double) value));
            }
            rates(metrics, "strand", "DISTRICT", AreaType.DISTRICT, districts.get(d).code(), districts.get(d).name(),
                    year, yearTotal, yearTotal / 2, yearTotal / 10);
        }
        for (int s = 0; s < strands.size(); s++) {
            long yearTotal = 0;
            for (int q = 1; q <= 4; q++) {
                final long value = 6L + s + q;
                yearTotal += value;
                metrics.add(metric("idva.referrals", "strand", strands.get(s), AreaType.CSP, CSP, CSP_NAME,
                        PeriodType.QUARTER, year + " Q" + q, (double) value));
            }
            rates(metrics, "strand", strands.get(s), AreaType.CSP, CSP, CSP_NAME, year, yearTotal, yearTotal / 2,
                    yearTotal / 5);
        }
        long total = 0;
        for (int q = 1; q <= 4; q++) {
            final long value = (fy == 2020 ? 225 : 213) + 10L * q;
            total += value;
            metrics.add(metric("idva.referrals", null, null, AreaType.CSP, CSP, CSP_NAME, PeriodType.QUARTER,
                    year + " Q" + q, (double) value));
        }
        rates(metrics, null, null, AreaType.CSP, CSP, CSP_NAME, year, total, total * 3 / 5, total * 3 / 20);
    }

    private static void rates(final List<AreaMetric> metrics, final String dimension, final String value,
            final AreaType type, final String code, final String name, final String year, final long referrals,
            final long engaged, final long repeats) {
        metrics.add(metric("idva.referrals", dimension, value, type, code, name, PeriodType.FINANCIAL_YEAR, year,
                (double) referrals));
        metrics.add(metric("idva.engaged", dimension, value, type, code, name, PeriodType.FINANCIAL_YEAR, year,
                (double) engaged));
        metrics.add(metric("idva.repeats", dimension, value, type, code, name, PeriodType.FINANCIAL_YEAR, year,
                (double) repeats));
        metrics.add(ratio(metric("idva.engagement_rate", dimension, value, type, code, name,
                PeriodType.FINANCIAL_YEAR, year, null), engaged, referrals));
        metrics.add(ratio(metric("idva.repeat_rate", dimension, value, type, code, name, PeriodType.FINANCIAL_YEAR,
                year, null), repeats, referrals));
    }

    private static void fires(final List<AreaMetric> metrics, final int fy, final String year) {
        final long[] causes = fy == 2020 ? new long[] {60, 100, 17} : new long[] {70, 110, 12};
        final List<String> names = List.of("DELIBERATE", "ACCIDENTAL", "NOT_KNOWN");
        long total = 0;
        for (int c = 0; c < causes.length; c++) {
            total += causes[c];
            metrics.add(metric("fire.fires", "cause", names.get(c), AreaType.CSP, CSP, CSP_NAME,
                    PeriodType.FINANCIAL_YEAR, year, (double) causes[c]));
        }
        metrics.add(metric("fire.fires", null, null, AreaType.CSP, CSP, CSP_NAME, PeriodType.FINANCIAL_YEAR, year,
                (double) total));
        metrics.add(ratio(metric("fire.deliberate_share", null, null, AreaType.CSP, CSP, CSP_NAME,
                PeriodType.FINANCIAL_YEAR, year, null), causes[0], total));
        final long months = fy == 2020 ? 11 : 12;
        metrics.add(AreaMetric.newBuilder(metric("fire.projection", null, null, AreaType.CSP, CSP, CSP_NAME,
                PeriodType.FINANCIAL_YEAR, year, total * 12.0 / months)).setNumerator(total).setDenominator(months)
                .build());
    }

}
