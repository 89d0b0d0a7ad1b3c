package org.csphub.sinks.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;
import static org.apache.commons.text.StringEscapeUtils.unescapeHtml4;

import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.csphub.contracts.ColumnType;
import org.csphub.contracts.FamilySpec;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.ReportSpec;
import org.csphub.contracts.ReportSpec.Figure;
import org.csphub.contracts.ReportSpec.Row;
import org.csphub.contracts.ReportSpec.Window;
import org.csphub.disclosure.DisclosurePolicy;
import org.csphub.geography.District;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/**
 * One section of the Strategic Assessment, rendered from the {@code report} blocks of the feeds that
 * contribute to it: a heading, an optional introduction and each block's figures in order. What each
 * kind of figure shows is in docs/contracts.md; every value has been through disclosure control, and a
 * share of a withheld count is not shown.
 */
final class FamilySection {

    /** One feed's part of the section. */
    record Part(FeedContract contract, ReportSpec spec) {
    }

    private final String id;
    private final String title;
    private final List<Part> parts = new ArrayList<>();

    FamilySection(final String id, final String title) {
        this.id = id;
        this.title = title;
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }

    void add(final Part part) {
        parts.add(part);
    }

    void render(final StringBuilder html, final ReportPage page) {
        html.append("<section id=\"").append(id).append("\" aria-labelledby=\"").append(id).append("-heading\">\n")
                .append("<h2 id=\"").append(id).append("-heading\">").append(escapeHtml4(title)).append("</h2>\n");
        for (final Part part : parts) {
            part.spec().intro().ifPresent(intro -> html.append("<p>").append(escapeHtml4(intro)).append("</p>\n"));
            for (final Figure figure : part.spec().figures()) {
                new Drawing(page, part, figure).render(html);
            }
        }
        html.append("</section>\n");
    }

    /** One figure being drawn: its feed, its area and the values its sentence may use. */
    private static final class Drawing {

        private final ReportPage page;
        private final FeedContract contract;
        private final FamilySpec family;
        private final ReportSpec spec;
        private final Figure figure;
        private final FigureNote note = new FigureNote();
        private final AreaType areaType;
        private final String areaCode;
        private final String areaName;
        private final YearMonth first;
        private final YearMonth last;

        Drawing(final ReportPage page, final Part part, final Figure figure) {
            this.page = page;
            this.contract = part.contract();
            this.family = contract.family();
            this.spec = part.spec();
            this.figure = figure;
            final boolean city = figure.area() == ReportSpec.Area.CITY;
            this.areaType = city ? AreaType.DISTRICT : AreaType.CSP;
            this.areaCode = city ? page.city.code() : page.geography.cspCode();
            this.areaName = city ? page.city.name() : page.geography.cspName();
            this.first = figure.window().first(page.year);
            this.last = figure.window().last(page.year);
        }

        void render(final StringBuilder html) {
            switch (figure.kind()) {
                case TREND -> trend(html);
                case WARDS -> wards(html);
                case YEARS -> years(html);
                case QUARTERS -> quarters(html);
                case CHANGE -> change(html);
                case SHARES -> shares(html);
                case TOTAL -> total(html);
                case DISTRICTS -> districts(html);
                default -> throw new IllegalStateException("No figure kind " + figure.kind());
            }
        }


        private void trend(final StringBuilder html) {
            final List<String> months = new ArrayList<>();
            final List<Double> now = new ArrayList<>();
            final List<Double> before = new ArrayList<>();
            final StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 12; i++) {
                final YearMonth month = YearMonth.of(page.year, 4).plusMonths(i);
                months.add(month.getMonth().getDisplayName(TextStyle.SHORT, Words.UK));
                final Amount current = count(figure.count(), null, null, month, month);
                final Amount previous = count(figure.count(), null, null, month.minusYears(1), month.minusYears(1));
                now.add(current.shown() ? current.value() : null);
                before.add(previous.shown() ? previous.value() : null);
                rows.append("<tr><th scope=\"row\">").append(month.getMonth().getDisplayName(TextStyle.FULL, Words.UK))
                        .append("</th><td>").append(show(previous)).append("</td><td>").append(show(current))
                        .append("</td></tr>");
            }
            paragraph(html, yearOnYear());
            final String heading = heading();
            final String chart = SvgChart.line("chart-" + figure.id(), heading, "Line chart of monthly " + unit()
                    + " in " + page.fy + " against the same months of " + page.fyBefore + "; the values are in the "
                    + "table that follows.", Words.capitalised(unit()), months, List.of(
                            new SvgChart.Series(page.fyBefore, before), new SvgChart.Series(page.fy, now)));
            figure(html, heading, chart, "<table class=\"visually-hidden\"><caption>" + escapeHtml4(heading)
                    + "</caption><thead><tr><th scope=\"col\">Month</th><th scope=\"col\">" + page.fyBefore
                    + "</th><th scope=\"col\">" + page.fy + "</th></tr></thead><tbody>" + rows + "</tbody></table>",
                    twoYears());
        }

        private void wards(final StringBuilder html) {
            record Ward(String code, String name, Amount count, Amount share) {
            }
            final Amount district = count(figure.count(), null, null, first, last);
            final List<Ward> wards = new ArrayList<>();
            page.cityWards(figure.count()).forEach((code, name) -> {
                final Amount count = page.count(figure.count(), null, null, AreaType.WARD, code, first, last, note);
                if (count.state() != Amount.State.ABSENT) {
                    wards.add(new Ward(code, name, count, wardShare(code, count, district)));
                }
            });
            wards.sort(Comparator.comparingDouble((Ward ward) -> ward.count().shown() ? ward.count().value() : -1)
                    .reversed().thenComparing(Ward::name));
            final List<String> top = new ArrayList<>();
            for (final Ward ward : wards) {
                if ((figure.top() == 0 || top.size() < figure.top()) && ward.count().shown() && ward.share().shown()) {
                    top.add(Sentence.fill(figure.item().orElse("{ward} {share}"), Map.of("ward",
                            escapeHtml4(ward.name()), "share", share(ward.share()), "count", show(ward.count()))));
                }
            }
            final Map<String, String> values = values();
            values.put("count", show(district));
            if (!top.isEmpty()) {
                values.put("top", Words.joined(top));
            }
            if (!figure.chart()) {
                // a sentence naming no ward says nothing
                if (!top.isEmpty()) {
                    paragraph(html, values);
                }
                return;
            }
            paragraph(html, values);
            final List<String> names = new ArrayList<>();
            final List<Double> counts = new ArrayList<>();
            final StringBuilder rows = new StringBuilder();
            for (final Ward ward : wards) {
                // the share sits in the bar's label, so that it is read with the bar
                names.add(ward.name() + " (" + (ward.count().withheld() ? policy().withheldLabel()
                        : unescapeHtml4(share(ward.share()))) + ")");
                counts.add(ward.count().shown() ? ward.count().value() : null);
                rows.append("<tr><th scope=\"row\">").append(escapeHtml4(ward.name())).append("</th><td>")
                        .append(show(ward.count())).append("</td><td>").append(share(ward.share()))
                        .append("</td></tr>");
            }
            final String heading = heading();
            final String chart = SvgChart.bars("chart-" + figure.id(), heading, "Bar chart of " + unit()
                    + " in each ward, largest first, each ward labelled with its share of the district; withheld "
                    + "counts are not drawn. The values and shares are in the table that follows.",
                    Words.capitalised(unit()), names, List.of(new SvgChart.Series(windowWords(), counts)), true);
            figure(html, heading, chart, "<table class=\"visually-hidden\"><caption>" + escapeHtml4(heading)
                    + "</caption><thead><tr><th scope=\"col\">Ward</th><th scope=\"col\">" + Words.capitalised(unit())
                    + "</th><th scope=\"col\">Share of the district</th></tr></thead><tbody>" + rows
                    + "</tbody></table>", Words.months(first, last));
        }

        /** The ward's published share where the window is one period, else its count over the district's. */
        private Amount wardShare(final String code, final Amount count, final Amount district) {
            if (figure.count().equals(family.counts().get(0).name()) && family.wardShare().isPresent()) {
                final AreaMetric cell = page.single(family.wardShare().get(), null, null, AreaType.WARD, code, first,
                        last);
                if (cell != null) {
                    return ReportPage.amountOf(cell, note);
                }
            }
            return count.shareOf(district);
        }

        private void years(final StringBuilder html) {
            final String dimension = family.breakdown(figure.by().orElseThrow()).dimension();
            final List<String> labels = new ArrayList<>();
            final List<Double> now = new ArrayList<>();
            final List<Double> before = new ArrayList<>();
            final StringBuilder rows = new StringBuilder();
            final YearMonth april = YearMonth.of(page.year, 4);
            for (final String value : values(dimension)) {
                final String label = label(value);
                final Amount current = count(figure.count(), dimension, value, april, april.plusMonths(11));
                final Amount previous = count(figure.count(), dimension, value, april.minusYears(1),
                        april.minusMonths(1));
                labels.add(label);
                now.add(current.shown() ? current.value() : null);
                before.add(previous.shown() ? previous.value() : null);
                rows.append("<tr><th scope=\"row\">").append(escapeHtml4(label)).append("</th><td>")
                        .append(show(previous)).append("</td><td>").append(show(current)).append("</td></tr>");
            }
            paragraph(html, yearOnYear());
            final String heading = heading();
            final String by = figure.by().orElseThrow().replace('_', ' ');
            final String chart = SvgChart.bars("chart-" + figure.id(), heading, "Bar chart of " + unit() + " by "
                    + by + " in " + page.fyBefore + " and " + page.fy + "; the values are in the table that follows.",
                    Words.capitalised(unit()), labels, List.of(new SvgChart.Series(page.fyBefore, before),
                            new SvgChart.Series(page.fy, now)), false);
            figure(html, heading, chart, "<table class=\"visually-hidden\"><caption>" + escapeHtml4(heading)
                    + "</caption><thead><tr><th scope=\"col\">" + escapeHtml4(Words.capitalised(by))
                    + "</th><th scope=\"col\">" + page.fyBefore + "</th><th scope=\"col\">" + page.fy
                    + "</th></tr></thead><tbody>" + rows + "</tbody></table>", twoYears());
        }

        private void quarters(final StringBuilder html) {
            final StringBuilder table = new StringBuilder();
            table.append("<table class=\"data\" id=\"").append(figure.id()).append("-table\"><caption>Table ")
                    .append(page.nextTable()).append(". ").append(Sentence.fill(figure.heading().orElseThrow(),
                            values())).append("</caption>\n<thead><tr><th scope=\"col\">")
                    .append(escapeHtml4(figure.firstColumn().orElse("Area"))).append("</th>");
            for (int quarter = 1; quarter <= 4; quarter++) {
                table.append("<th scope=\"col\">Q").append(quarter).append("</th>");
            }
            table.append("<th scope=\"col\">Year</th>");
            for (final String rate : figure.rates()) {
                table.append("<th scope=\"col\">").append(escapeHtml4(Words.capitalised(
                        rate.substring(rate.indexOf('.') + 1).replace('_', ' ')))).append("</th>");
            }
            table.append("</tr></thead>\n<tbody>\n");
            for (final Row row : figure.rows()) {
                final String dimension = row.by().map(by -> family.breakdown(by).dimension()).orElse(null);
                final String value = row.value().orElse(null);
                if (row.eachDistrict()) {
                    for (final District district : page.geography.districts()) {
                        quarterRow(table, row.label().orElse(district.name()), dimension, value, AreaType.DISTRICT,
                                district.code(), row.total());
                    }
                } else {
                    quarterRow(table, row.label().orElseThrow(), dimension, value, AreaType.CSP,
                            page.geography.cspCode(), row.total());
                }
            }
            table.append("</tbody></table>\n");
            paragraph(html, yearOnYear());
            html.append("<div class=\"figure\" id=\"table-").append(figure.id()).append("\">").append(table)
                    .append(note(twoYears())).append("</div>\n");
        }

        private void quarterRow(final StringBuilder table, final String label, final String dimension,
                final String value, final AreaType type, final String code, final boolean total) {
            table.append("<tr").append(total ? " class=\"total\"" : "").append("><th scope=\"row\">")
                    .append(escapeHtml4(label)).append("</th>");
            for (int quarter = 1; quarter <= 4; quarter++) {
                final YearMonth start = YearMonth.of(page.year, 4).plusMonths(3L * (quarter - 1));
                final Amount now = page.count(figure.count(), dimension, value, type, code, start,
                        start.plusMonths(2), note);
                final Amount before = page.count(figure.count(), dimension, value, type, code, start.minusYears(1),
                        start.plusMonths(2).minusYears(1), note);
                table.append("<td>").append(show(now)).append("<span class=\"change\">")
                        .append(Words.change(before, now).orElse("no comparison")).append("</span></td>");
            }
            final YearMonth april = YearMonth.of(page.year, 4);
            table.append("<td>").append(show(page.count(figure.count(), dimension, value, type, code, april,
                    april.plusMonths(11), note))).append("</td>");
            for (final String rate : figure.rates()) {
                table.append("<td>").append(share(rate(rate, dimension, value, type, code, april,
                        april.plusMonths(11)))).append("</td>");
            }
            table.append("</tr>\n");
        }

        private void change(final StringBuilder html) {
            final Window against = figure.against().orElseThrow();
            final YearMonth againstFirst = against.yearEarlier() ? first.minusYears(1) : against.first(page.year);
            final YearMonth againstLast = against.yearEarlier() ? last.minusYears(1) : against.last(page.year);
            final String dimension = figure.by().map(by -> family.breakdown(by).dimension()).orElse(null);
            final String value = figure.value().orElse(null);
            final Amount now = count(figure.count(), dimension, value, first, last);
            final Amount before = count(figure.count(), dimension, value, againstFirst, againstLast);
            if (now.state() == Amount.State.ABSENT && before.state() == Amount.State.ABSENT) {
                return;
            }
            final Map<String, String> values = values();
            values.put("count", show(now));
            values.put("count_against", show(before));
            values.put("against", Words.window(againstFirst, againstLast));
            Words.risesAndFalls(before, now).ifPresent(change -> values.put("change", change));
            Words.upAndDown(before, now).ifPresent(change -> values.put("up", change));
            paragraph(html, values);
        }

        private void total(final StringBuilder html) {
            if (figure.counts().stream().allMatch(count -> count(count, null, null, first, last).state()
                    == Amount.State.ABSENT)) {
                return;
            }
            paragraph(html, values());
        }

        private void shares(final StringBuilder html) {
            record Share(String value, Amount count, Amount share) {
            }
            final String dimension = family.breakdown(figure.by().orElseThrow()).dimension();
            final Amount whole = figure.within().map(within -> count(figure.count(),
                    family.breakdown(within.column()).dimension(), within.value(), first, last))
                    .orElseGet(() -> count(figure.count(), null, null, first, last));
            final List<Share> shares = new ArrayList<>();
            for (final String value : figure.values().isEmpty() ? values(dimension) : figure.values()) {
                final Amount count = count(figure.count(), dimension, value, first, last);
                if (count.state() != Amount.State.ABSENT) {
                    shares.add(new Share(value, count, count.shareOf(whole)));
                }
            }
            if (shares.isEmpty()) {
                return;
            }
            shares.sort(Comparator.comparingDouble((Share share) -> share.count().shown() ? share.count().value() : -1)
                    .reversed());
            final List<String> items = new ArrayList<>();
            for (final Share share : shares) {
                // a share of a withheld count is not shown, nor named
                if (share.share().shown() && (figure.top() == 0 || items.size() < figure.top())) {
                    items.add(Sentence.fill(figure.item().orElse("{value} {share} ({count})"), Map.of("value",
                            escapeHtml4(label(share.value())), "share", share(share.share()), "count",
                            show(share.count()))));
                }
            }
            final Map<String, String> values = values();
            values.put("count", show(whole));
            if (!items.isEmpty()) {
                values.put("shares", Words.joined(items));
            }
            paragraph(html, values);
        }


        /**
         * The partnership's districts ranked by a count per 1,000 residents in the later of two calendar
         * years, beside the count, in a table; the sentence names the district with the highest rate and
         * the one with the most in each year (one name for both years when they agree), unless a value that
         * could lead is withheld.
         */
        private void districts(final StringBuilder html) {
            record Place(District district, List<Amount> counts, List<Amount> rates) {
            }
            final String rate = figure.rates().get(0);
            final List<Integer> years = figure.years();
            final List<Place> places = new ArrayList<>();
            for (final District district : page.geography.districts()) {
                final List<Amount> counts = new ArrayList<>();
                final List<Amount> rates = new ArrayList<>();
                for (final int year : years) {
                    final YearMonth january = YearMonth.of(year, 1);
                    final Amount count = page.count(figure.count(), null, null, AreaType.DISTRICT, district.code(),
                            january, january.plusMonths(11), note);
                    counts.add(count);
                    rates.add(perThousand(rate, count, district.code(), january));
                }
                places.add(new Place(district, counts, rates));
            }
            if (places.stream().allMatch(place -> place.counts().stream()
                    .allMatch(count -> count.state() == Amount.State.ABSENT))) {
                // no district has data in either year: a table of dashes says nothing
                return;
            }
            final int last = years.size() - 1;
            places.sort(Comparator.comparingDouble((Place place) -> place.rates().get(last).shown()
                    ? place.rates().get(last).value() : -1).reversed()
                    .thenComparing(place -> place.district().name()));
            final Map<String, String> values = values();
            values.put("first_year", String.valueOf(years.get(0)));
            values.put("second_year", String.valueOf(years.get(last)));
            final List<Optional<String>> rateLeaders = new ArrayList<>();
            final List<Optional<String>> countLeaders = new ArrayList<>();
            for (int i = 0; i < years.size(); i++) {
                final int at = i;
                rateLeaders.add(leader(places.stream().map(place -> Map.entry(place.district().name(),
                        place.rates().get(at))).toList()));
                countLeaders.add(leader(places.stream().map(place -> Map.entry(place.district().name(),
                        place.counts().get(at))).toList()));
            }
            leaders(values, "rate", rateLeaders, years);
            leaders(values, "count", countLeaders, years);
            // a sentence that cannot name whom it compares says nothing
            if (Stream.of("rate_top", "count_top").noneMatch(name -> mentions(name) && !values.containsKey(name))) {
                paragraph(html, values);
            }
            final StringBuilder table = new StringBuilder();
            table.append("<table class=\"data\" id=\"").append(figure.id()).append("-table\"><caption>Table ")
                    .append(page.nextTable()).append(". ").append(Sentence.fill(figure.heading().orElseThrow(), values))
                    .append("</caption>\n<thead><tr><th scope=\"col\">Rank</th><th scope=\"col\">District</th>");
            for (final int year : years) {
                table.append("<th scope=\"col\">").append(escapeHtml4(Words.capitalised(unit()))).append(' ')
                        .append(year).append("</th><th scope=\"col\">Per 1,000 residents ").append(year)
                        .append("</th>");
            }
            table.append("</tr></thead>\n<tbody>\n");
            int rank = 0;
            for (final Place place : places) {
                table.append("<tr><td>").append(place.rates().get(last).shown() ? String.valueOf(++rank) : "–")
                        .append("</td><th scope=\"row\">").append(escapeHtml4(place.district().name())).append("</th>");
                for (int i = 0; i < years.size(); i++) {
                    table.append("<td>").append(show(place.counts().get(i))).append("</td><td>")
                            .append(perThousandWords(place.rates().get(i))).append("</td>");
                }
                table.append("</tr>\n");
            }
            table.append("</tbody></table>\n");
            html.append("<div class=\"figure\" id=\"table-").append(figure.id()).append("\">").append(table)
                    .append(note(Words.months(YearMonth.of(years.get(0), 1), YearMonth.of(years.get(last), 12)),
                            "; residents: " + page.geography.population().description())).append("</div>\n");
        }

        /**
         * A district's count per 1,000 residents in the calendar year from {@code january}: its published
         * cell of the twelve months where there is one, else the count × 1,000 over the district's residents
         * that year; withheld with its count.
         */
        private Amount perThousand(final String name, final Amount count, final String code,
                final YearMonth january) {
            final AreaMetric cell = page.single(name, null, null, AreaType.DISTRICT, code, january,
                    january.plusMonths(11));
            if (cell != null) {
                return ReportPage.amountOf(cell, note);
            }
            if (!count.shown()) {
                return count;
            }
            final java.util.OptionalLong residents = page.geography.population().of(AreaType.DISTRICT, code,
                    january.getYear());
            return residents.isPresent() ? Amount.of(count.value() * 1000 / residents.getAsLong()) : Amount.ABSENT;
        }

        /** The area with the largest shown value, unless one is withheld (it might be larger) or none is shown. */
        private static Optional<String> leader(final List<Map.Entry<String, Amount>> amounts) {
            if (amounts.stream().anyMatch(entry -> entry.getValue().withheld())) {
                return Optional.empty();
            }
            return amounts.stream().filter(entry -> entry.getValue().shown())
                    .max(Comparator.comparingDouble((Map.Entry<String, Amount> entry) -> entry.getValue().value())
                            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                    .map(Map.Entry::getKey);
        }

        /**
         * {@code {kind_top}} and {@code {kind_years}}: "Cambridge" and "both 2019 and 2020" when one district
         * leads in both years, else "Cambridge (2019) and Fenland (2020)" and "2019 and 2020"; left out when a
         * year has no leader.
         */
        private static void leaders(final Map<String, String> values, final String kind,
                final List<Optional<String>> leaders, final List<Integer> years) {
            if (leaders.stream().anyMatch(Optional::isEmpty)) {
                return;
            }
            final List<String> names = leaders.stream().map(Optional::orElseThrow).toList();
            final List<String> yearWords = years.stream().map(String::valueOf).toList();
            if (names.stream().distinct().count() == 1) {
                values.put(kind + "_top", escapeHtml4(names.get(0)));
                values.put(kind + "_years", "both " + Words.joined(yearWords));
            } else {
                final List<String> each = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    each.add(escapeHtml4(names.get(i)) + " (" + yearWords.get(i) + ")");
                }
                values.put(kind + "_top", Words.joined(each));
                values.put(kind + "_years", Words.joined(yearWords));
            }
        }

        private String perThousandWords(final Amount amount) {
            return switch (amount.state()) {
                case ABSENT -> Sentence.NONE;
                case WITHHELD -> "withheld";
                case SHOWN -> Words.decimal(amount.value(), figure.decimals());
            };
        }

        /** The placeholders every sentence may use: the area, years, window, and the family's metrics. */
        private Map<String, String> values() {
            final Map<String, String> values = new LinkedHashMap<>();
            values.put("area", escapeHtml4(areaName));
            values.put("city", escapeHtml4(page.city.name()));
            values.put("partnership", escapeHtml4(page.geography.cspName()));
            values.put("year", page.fy);
            values.put("year_before", page.fyBefore);
            values.put("window", escapeHtml4(windowWords()));
            values.put("unit", escapeHtml4(unit()));
            for (final FamilySpec.Count count : family.counts()) {
                if (count.published() && mentions(count.name())) {
                    final Amount amount = count(count.name(), null, null, first, last);
                    if (amount.state() != Amount.State.ABSENT) {
                        values.put(count.name(), show(amount));
                    }
                }
            }
            for (final FamilySpec.Rate rate : family.rates()) {
                if (mentions(rate.name())) {
                    final Amount amount = rate(rate.name(), null, null, areaType, areaCode, first, last);
                    if (amount.state() != Amount.State.ABSENT) {
                        values.put(rate.name(), share(amount));
                    }
                }
            }
            if (mentions("projection")) {
                projection().ifPresent(sentence -> values.put("projection", sentence));
            }
            values.computeIfAbsent("count", name -> show(count(figure.count(), null, null, first, last)));
            return values;
        }

        private boolean mentions(final String placeholder) {
            return figure.text().map(text -> text.contains("{" + placeholder + "}")).orElse(false);
        }

        /** The year's count against the year before's, for a trend, years or quarters figure. */
        private Map<String, String> yearOnYear() {
            final YearMonth april = YearMonth.of(page.year, 4);
            final Amount now = count(figure.count(), null, null, april, april.plusMonths(11));
            final Amount before = count(figure.count(), null, null, april.minusYears(1), april.minusMonths(1));
            final Map<String, String> values = values();
            values.put("count", show(now));
            values.put("count_before", show(before));
            Words.risesAndFalls(before, now).ifPresent(change -> values.put("change", change));
            return values;
        }

        private void paragraph(final StringBuilder html, final Map<String, String> values) {
            figure.text().ifPresent(text -> html.append("<p>").append(Sentence.fill(text, values)).append("</p>\n"));
        }

        /** The family's full-year projection in the report's year, in words. */
        private Optional<String> projection() {
            return family.projection().flatMap(projection -> {
                final AreaMetric cell = page.cell(projection.name(), null, null, areaType, areaCode,
                        PeriodType.FINANCIAL_YEAR, page.fy);
                if (cell == null) {
                    return Optional.empty();
                }
                note.use(cell);
                if (cell.getSuppressed()) {
                    return Optional.of("The full-year projection is withheld because the count it rests on is small.");
                }
                if (cell.getValue() == null) {
                    return Optional.empty();
                }
                final long months = cell.getDenominator() == null ? 12 : cell.getDenominator();
                return Optional.of(months < 12
                        ? "With " + Words.number(cell.getNumerator()) + " " + escapeHtml4(unit()) + " in the first "
                                + months + " months, the full year projects to " + Words.number(cell.getValue()) + " ("
                                + escapeHtml4(unit()) + " so far × 12 ÷ months elapsed)."
                        : "The year is complete, so the full-year projection is the count itself: "
                                + Words.number(cell.getValue()) + ".");
            });
        }


        private Amount count(final String metric, final String dimension, final String value, final YearMonth from,
                final YearMonth to) {
            return page.count(metric, dimension, value, areaType, areaCode, from, to, note);
        }

        /** A rate: its published cell where the window is one period, else its numerator over its denominator. */
        private Amount rate(final String name, final String dimension, final String value, final AreaType type,
                final String code, final YearMonth from, final YearMonth to) {
            final AreaMetric cell = page.single(name, dimension, value, type, code, from, to);
            if (cell != null) {
                return ReportPage.amountOf(cell, note);
            }
            final FamilySpec.Rate rate = family.rates().stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow();
            if (!published(rate.numerator()) || !published(rate.denominator())) {
                return Amount.ABSENT;
            }
            return page.count(rate.numerator(), dimension, value, type, code, from, to, note)
                    .shareOf(page.count(rate.denominator(), dimension, value, type, code, from, to, note));
        }

        private boolean published(final String count) {
            return family.counts().stream().anyMatch(c -> c.name().equals(count) && c.published());
        }

        /** A breakdown's values: the enum column's, else those the metrics hold, in order. */
        private List<String> values(final String dimension) {
            final String column = figure.by().orElseThrow();
            if (!figure.values().isEmpty()) {
                return figure.values();
            }
            if (contract.column(column).map(c -> c.type() instanceof ColumnType.Enum).orElse(false)) {
                return ((ColumnType.Enum) contract.column(column).orElseThrow().type()).values();
            }
            final Set<String> values = new LinkedHashSet<>();
            page.published.stream().filter(cell -> cell.getMetric().equals(figure.count())
                    && dimension.equals(cell.getDimension())).map(AreaMetric::getDimensionValue).sorted()
                    .forEach(values::add);
            return List.copyOf(values);
        }

        private String label(final String value) {
            return figure.labels().getOrDefault(value, Words.value(value));
        }

        private String show(final Amount amount) {
            return switch (amount.state()) {
                case ABSENT -> Sentence.NONE;
                case WITHHELD -> escapeHtml4(policy().withheldLabel());
                case SHOWN -> Words.number(amount.value());
            };
        }

        private String share(final Amount amount) {
            return switch (amount.state()) {
                case ABSENT -> Sentence.NONE;
                case WITHHELD -> "withheld";
                case SHOWN -> Words.percent(amount.value(), figure.decimals());
            };
        }

        private String unit() {
            return spec.unit();
        }

        private String windowWords() {
            return Words.window(first, last);
        }

        /** The figure's heading as plain text (a chart's title escapes it). */
        private String heading() {
            return unescapeHtml4(Sentence.fill(figure.heading().orElseThrow(), values()));
        }

        private String twoYears() {
            return "April " + (page.year - 1) + " to March " + (page.year + 1);
        }

        private void figure(final StringBuilder html, final String heading, final String chart, final String table,
                final String period) {
            final String figureId = "figure-" + figure.id();
            html.append("<figure id=\"").append(figureId).append("\" aria-labelledby=\"").append(figureId)
                    .append("-heading\">\n<h3 id=\"").append(figureId).append("-heading\">")
                    .append(escapeHtml4("Figure " + page.nextFigure() + ". " + heading)).append("</h3>\n")
                    .append(chart).append('\n').append(table).append('\n').append("<figcaption>")
                    .append(note(period)).append("</figcaption>\n</figure>\n");
        }

        private String note(final String period) {
            return note(period, "");
        }

        /** The data note, with {@code more} after the source (what else the figure draws on). */
        private String note(final String period, final String more) {
            final String source = spec.source().isEmpty() ? contract.title() : spec.source();
            return note.html(source + " (" + contract.rawTopic() + ", metrics " + family.topic() + ")" + more,
                    period,
                    page.fullFigures ? null : policy());
        }

        /** The policy the family's counts are published under. */
        private DisclosurePolicy policy() {
            return page.disclosure.familyPolicy(family.name());
        }
    }
}
