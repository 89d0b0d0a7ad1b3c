package org.csphub.producers.synthetic;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.csphub.contracts.ShippedContracts;
import org.csphub.geography.District;
import org.csphub.geography.Geography;
import org.csphub.geography.Ward;
import org.csphub.producers.validation.PartnerDates;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;

/**
 * Writes realistic partner exports of the four feeds for the default geography, calibrated to the
 * partnership's published figures: police ASB with Market about a fifth of Cambridge's incidents and
 * nuisance 83%; assault-related ambulance callouts with Market 30.5%, Arbury 11.6% and King's Hedges
 * 9.7% of Cambridge's, 63.5% male; IDVA referrals reproducing the 2019/20 quarterly table exactly; about
 * 193 fires a year in Cambridge, 24% deliberate, 63% accidental, 13% not known; police recorded crime with
 * Cambridge's quoted hate crimes, and Peterborough a quarter more each month, so that Cambridge has the
 * highest rate per 1,000 residents and Peterborough the most. Every date is before the
 * current month and every ward is one in force on its date. The same seed gives the same files.
 *
 * <p>Bad rows (each with one fault the intake must refuse) are extra rows with ids of their own; corrections
 * (re-sent rows with a changed value, and retractions) go to {@code <feed>.corrections.csv}, since an id may
 * appear only once in a file.
 */
public final class SyntheticExports {

    /** What to generate. */
    public record Options(YearMonth from, YearMonth to, long seed, double badRows, double corrections) {
    }

    private static final String CAMBRIDGE = "E07000008";
    private static final DateTimeFormatter UK = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");
    private static final DateTimeFormatter UK_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final Geography geography;
    private final Clock clock;

    public SyntheticExports(final Geography geography, final Clock clock) {
        this.geography = geography;
        this.clock = clock;
    }

    /** The file a feed's export is written to. */
    public static Path fileOf(final Path dir, final Feed feed) {
        return fileOf(dir, feed.slug());
    }

    /** The file the export of the feed {@code slug} is written to. */
    public static Path fileOf(final Path dir, final String slug) {
        return dir.resolve(slug + ".csv");
    }

    /** The file a feed's corrections are written to. */
    public static Path correctionsOf(final Path dir, final Feed feed) {
        return correctionsOf(dir, feed.slug());
    }

    /** The file the corrections of the feed {@code slug} are written to. */
    public static Path correctionsOf(final Path dir, final String slug) {
        return dir.resolve(slug + ".corrections.csv");
    }

    /** Writes the exports of every feed into {@code dir}; returns the files written. */
    public List<Path> write(final Options options, final Path dir) {
        final YearMonth lastComplete = YearMonth.now(clock.withZone(PartnerDates.LONDON)).minusMonths(1);
        final YearMonth to = options.to().isAfter(lastComplete) ? lastComplete : options.to();
        if (to.isBefore(options.from())) {
            throw new IllegalArgumentException("Nothing to generate: " + options.from() + " to " + options.to()
                    + " has no month before the current one");
        }
        final List<YearMonth> months = new ArrayList<>();
        for (YearMonth month = options.from(); !month.isAfter(to); month = month.plusMonths(1)) {
            months.add(month);
        }
        final List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
        final List<Feed> feeds = FeedCatalog.shipped().feeds();
        for (final Feed feed : feeds) {
            final Random random = new Random(options.seed() * 31 + feeds.indexOf(feed));
            final Table table = switch (feed.slug()) {
                case "police-asb" -> asb(months, random);
                case "ambulance-callouts" -> ambulance(months, random);
                case "idva-referrals" -> idva(months, random);
                case "fire-incidents" -> fire(months, random);
                case "police-crime" -> crime(months, random);
                case "needle-finds" -> needles(months, random);
                case "ed-assaults" -> edAssaults(months, random);
                default -> throw new IllegalStateException("No generator for the shipped feed " + feed);
            };
            final Table corrections = table.corrections(options.corrections(), random);
            table.addBadRows(options.badRows(), random, clock);
            written.add(table.write(fileOf(dir, feed)));
            if (!corrections.rows.isEmpty()) {
                written.add(corrections.write(correctionsOf(dir, feed)));
            }
        }
        return written;
    }

    // ---- police ASB -------------------------------------------------------------------------------

    /** Cambridge's ASB incidents in a month of the usual year: more in summer, fewer in winter. */
    private static final int[] ASB_CITY_SEASON = {100, 98, 108, 112, 122, 130, 138, 135, 120, 115, 106, 102};

    /**
     * Cambridge's ASB incidents in {@code month}: the usual season, except 2020's spring and summer: March
     * 100, a dip in April's lockdown, then a rise through the summer (June 35% up on March).
     */
    static int asbCityCount(final YearMonth month) {
        if (month.getYear() == 2020 && month.getMonthValue() >= 3 && month.getMonthValue() <= 9) {
            return new int[] {100, 88, 115, 135, 148, 150, 128}[month.getMonthValue() - 3];
        }
        return ASB_CITY_SEASON[month.getMonthValue() - 1];
    }

    /**
     * Police ASB: in each year from October to September, Market 20%, Trumpington 13% and Abbey 9% of
     * Cambridge's incidents; in each financial year, 83% of each district's incidents nuisance. The whole
     * of every such year is dealt, so its shares are exact whichever of its months are written.
     */
    private Table asb(final List<YearMonth> months, final Random random) {
        final Table table = new Table(List.of("incident_id", "reported_at", "category", "ward", "lsoa"), 3, 2,
                List.of(1), List.of(2));
        final List<District> others = otherDistricts();
        final List<String> cityNames = wardNames(CAMBRIDGE, months.get(0).atDay(1));
        final double[] cityWeights = weightsWithFixed(cityNames, List.of("Market", "Trumpington", "Abbey"),
                new double[] {0.20, 0.13, 0.09}, random);
        // every month of the October and financial years the wanted months touch
        final YearMonth first = earliest(octoberYearOf(months.get(0)), aprilYearOf(months.get(0)));
        final YearMonth last = latest(octoberYearOf(months.get(months.size() - 1)).plusMonths(11),
                aprilYearOf(months.get(months.size() - 1)).plusMonths(11));
        final Map<YearMonth, List<String>> cityWards = new HashMap<>();
        for (YearMonth year = octoberYearOf(first); !year.isAfter(last); year = year.plusMonths(12)) {
            final List<String> dealt = Quotas.deal(cityNames, cityWeights, asbOverYear(year, true), random);
            int at = 0;
            for (int m = 0; m < 12; m++) {
                final YearMonth month = year.plusMonths(m);
                cityWards.put(month, dealt.subList(at, at + asbCityCount(month)));
                at += asbCityCount(month);
            }
        }
        final Map<YearMonth, List<String>> categories = new HashMap<>();
        for (YearMonth year = aprilYearOf(first); !year.isAfter(last); year = year.plusMonths(12)) {
            for (int district = 0; district <= others.size(); district++) {
                final int perYear = district == 0 ? asbOverYear(year, true) : asbOverYear(year, false);
                final List<String> dealt = Quotas.deal(List.of("NUISANCE", "PERSONAL", "ENVIRONMENTAL"),
                        new double[] {0.83, 0.12, 0.05}, perYear, random);
                int at = 0;
                for (int m = 0; m < 12; m++) {
                    final YearMonth month = year.plusMonths(m);
                    final int count = district == 0 ? asbCityCount(month) : otherAsbCount(month);
                    categories.computeIfAbsent(month, key -> new ArrayList<>()).addAll(dealt.subList(at, at + count));
                    at += count;
                }
            }
        }
        int sequence = 0;
        for (final YearMonth month : months) {
            final int city = asbCityCount(month);
            final int other = otherAsbCount(month);
            for (int i = 0; i < city + other * others.size(); i++) {
                final LocalDateTime at = momentIn(month, random);
                final Ward ward = i < city
                        ? wardNamed(cityWards.get(month).get(i), at.toLocalDate())
                        : randomWard(others.get((i - city) / other), at.toLocalDate(), random);
                final String[] area = wardOrLsoa(ward, at.toLocalDate(), random);
                table.add(List.of(String.format("ASB-%07d", ++sequence), dateTime(at, random),
                        categories.get(month).get(i), area[0], area[1]));
            }
        }
        return table;
    }

    /** Each other district's ASB incidents in a month: a third of Cambridge's. */
    private static int otherAsbCount(final YearMonth month) {
        return Math.round(asbCityCount(month) / 3f);
    }

    /** ASB incidents in the twelve months from {@code year}: Cambridge's, or one other district's. */
    private static int asbOverYear(final YearMonth year, final boolean city) {
        int count = 0;
        for (int m = 0; m < 12; m++) {
            count += city ? asbCityCount(year.plusMonths(m)) : otherAsbCount(year.plusMonths(m));
        }
        return count;
    }

    /** The first month of the October-to-September year holding {@code month}. */
    private static YearMonth octoberYearOf(final YearMonth month) {
        return YearMonth.of(month.getMonthValue() >= 10 ? month.getYear() : month.getYear() - 1, 10);
    }

    /** The first month of the financial year holding {@code month}. */
    private static YearMonth aprilYearOf(final YearMonth month) {
        return YearMonth.of(financialYearOf(month), 4);
    }

    private static YearMonth earliest(final YearMonth one, final YearMonth other) {
        return one.isBefore(other) ? one : other;
    }

    private static YearMonth latest(final YearMonth one, final YearMonth other) {
        return one.isAfter(other) ? one : other;
    }

    // ---- ambulance ---------------------------------------------------------------------------------

    private Table ambulance(final List<YearMonth> months, final Random random) {
        final Table table = new Table(List.of("callout_id", "called_at", "ward", "lsoa", "sex", "age"), 2, 4,
                List.of(1), List.of(4));
        final int cityPerMonth = 40;
        final int otherPerMonth = 12;
        final List<String> cityNames = wardNames(CAMBRIDGE, months.get(0).atDay(1));
        final double[] cityWeights = weightsWithFixed(cityNames, List.of("Market", "Arbury", "King's Hedges"),
                new double[] {0.305, 0.116, 0.097}, random);
        final List<String> cityWards = Quotas.deal(cityNames, cityWeights, cityPerMonth * months.size(), random);
        final List<District> others = otherDistricts();
        final int perMonth = cityPerMonth + otherPerMonth * others.size();
        final List<String> sexes = Quotas.deal(List.of("M", "F", "U"), new double[] {0.635, 0.355, 0.01},
                perMonth * months.size(), random);
        int sequence = 0;
        int cityIndex = 0;
        for (final YearMonth month : months) {
            for (int i = 0; i < perMonth; i++) {
                final LocalDateTime at = momentIn(month, random);
                final Ward ward = i < cityPerMonth
                        ? wardNamed(cityWards.get(cityIndex++), at.toLocalDate())
                        : randomWard(others.get((i - cityPerMonth) / otherPerMonth), at.toLocalDate(), random);
                final String[] area = wardOrLsoa(ward, at.toLocalDate(), random);
                // assaults peak among young adults; a few ages are not recorded
                final String age = random.nextInt(100) < 3 ? "" : String.valueOf(Math.min(95,
                        Math.max(0, (int) Math.round(29 + random.nextGaussian() * 12))));
                table.add(List.of(String.format("AMB-%07d", ++sequence), dateTime(at, random), area[0], area[1],
                        sexes.get(sequence - 1), age));
            }
        }
        return table;
    }

    // ---- IDVA --------------------------------------------------------------------------------------

    private Table idva(final List<YearMonth> months, final Random random) {
        final Table table = new Table(List.of("referral_id", "referred_on", "district", "strand", "dash_score",
                "risk_level", "engaged", "client_ref", "male", "disability", "lgbt"), 2, 3, List.of(1), List.of(6));
        final Set<YearMonth> wanted = new HashSet<>(months);
        record Referral(LocalDate on, String district, String strand) {
        }
        final List<Referral> referrals = new ArrayList<>();
        final int firstYear = financialYearOf(months.get(0));
        final int lastYear = financialYearOf(months.get(months.size() - 1));
        for (int year = firstYear; year <= lastYear; year++) {
            for (final IdvaReferralTable.Line line : IdvaReferralTable.LINES) {
                for (int quarter = 0; quarter < 4; quarter++) {
                    final int published = line.quarters()[quarter];
                    // other years vary around 2019/20's figures
                    final int count = year == IdvaReferralTable.FINANCIAL_YEAR_START ? published
                            : (int) Math.round(published * (0.85 + 0.3 * random.nextDouble()));
                    final YearMonth first = YearMonth.of(year, 4).plusMonths(3L * quarter);
                    final int[] perMonth = Quotas.allocate(count, new double[] {1, 1, 1});
                    for (int m = 0; m < 3; m++) {
                        final YearMonth month = first.plusMonths(m);
                        for (int i = 0; i < perMonth[m]; i++) {
                            final LocalDate on = month.atDay(1 + random.nextInt(month.lengthOfMonth()));
                            final String district = line.districtCode() != null ? line.districtCode()
                                    : IdvaReferralTable.CAMBRIDGESHIRE.get(random.nextInt(5));
                            if (wanted.contains(month)) {
                                referrals.add(new Referral(on, district, line.strand()));
                            }
                        }
                    }
                }
            }
        }
        referrals.sort(Comparator.comparing(Referral::on));
        final List<LocalDate> clientDates = new ArrayList<>();
        final List<String> clientRefs = new ArrayList<>();
        int sequence = 0;
        for (final Referral referral : referrals) {
            final int score = Math.min(27, Math.max(0, (int) Math.round(11 + random.nextGaussian() * 6)));
            final int form = random.nextInt(20);
            final String dash = form < 2 ? "" : String.valueOf(score);
            final String risk = form < 2 ? List.of("STANDARD", "MEDIUM", "HIGH").get(random.nextInt(3))
                    : form < 3 ? "HIGH" : "";
            // about one referral in seven is a repeat of a client referred in the previous twelve months
            String client = null;
            if (random.nextInt(7) == 0) {
                for (int tries = 0; tries < 5 && client == null && !clientRefs.isEmpty(); tries++) {
                    final int earlier = clientRefs.size() - 1 - random.nextInt(Math.min(clientRefs.size(), 400));
                    if (!clientDates.get(earlier).isBefore(referral.on().minusMonths(12))) {
                        client = clientRefs.get(earlier);
                    }
                }
            }
            if (client == null) {
                client = String.format("CL%06d", 100000 + clientRefs.size());
            }
            clientDates.add(referral.on());
            clientRefs.add(client);
            table.add(List.of(String.format("IDVA-%06d", ++sequence), idvaDate(referral.on(), random),
                    districtAs(referral.district(), random), referral.strand(), dash, risk,
                    yesNo(random.nextInt(100) < 72, random), client, yesNo(random.nextInt(100) < 6, random),
                    yesNo(random.nextInt(100) < 14, random), yesNo(random.nextInt(100) < 4, random)));
        }
        return table;
    }

    private static int financialYearOf(final YearMonth month) {
        return month.getMonthValue() >= 4 ? month.getYear() : month.getYear() - 1;
    }

    private String districtAs(final String code, final Random random) {
        final District district = geography.district(code).orElseThrow();
        final List<String> forms = switch (code) {
            case "E07000008" -> List.of(district.name(), "Cambridge City", code);
            case "E07000009" -> List.of(district.name(), "East Cambs", code);
            case "E07000011" -> List.of(district.name(), "Hunts", code);
            case "E07000012" -> List.of(district.name(), "South Cambs", code);
            case "E06000031" -> List.of(district.name(), "Pboro", code);
            default -> List.of(district.name(), code);
        };
        return forms.get(random.nextInt(forms.size()));
    }

    // ---- fire --------------------------------------------------------------------------------------

    private Table fire(final List<YearMonth> months, final Random random) {
        final Table table = new Table(List.of("incident_id", "occurred_at", "incident_type", "cause", "ward",
                "district"), 4, 2, List.of(1), List.of(3));
        final int cityTotal = (int) Math.round(193.0 * months.size() / 12);
        final int[] cityPerMonth = Quotas.allocate(cityTotal, months.stream().mapToDouble(month -> 1).toArray());
        final List<String> causes = Quotas.deal(List.of("DELIBERATE", "ACCIDENTAL", "NOT_KNOWN"),
                new double[] {0.24, 0.63, 0.13}, cityTotal, random);
        final List<String> types = Quotas.deal(List.of("PRIMARY_FIRE", "SECONDARY_FIRE", "CHIMNEY_FIRE"),
                new double[] {0.40, 0.52, 0.08}, cityTotal, random);
        final List<District> others = otherDistricts();
        final int otherPerMonth = 8;
        int sequence = 0;
        int cityIndex = 0;
        for (int m = 0; m < months.size(); m++) {
            final YearMonth month = months.get(m);
            for (int i = 0; i < cityPerMonth[m]; i++) {
                final LocalDateTime at = momentIn(month, random);
                final Ward ward = randomWard(geography.district(CAMBRIDGE).orElseThrow(), at.toLocalDate(), random);
                table.add(List.of(String.format("FIRE-%06d", ++sequence), dateTime(at, random),
                        types.get(cityIndex), causes.get(cityIndex), random.nextBoolean() ? ward.name() : ward.code(),
                        ""));
                cityIndex++;
            }
            for (final District district : others) {
                for (int i = 0; i < otherPerMonth; i++) {
                    final LocalDateTime at = momentIn(month, random);
                    final boolean byWard = random.nextBoolean();
                    table.add(List.of(String.format("FIRE-%06d", ++sequence), dateTime(at, random),
                            List.of("PRIMARY_FIRE", "SECONDARY_FIRE", "SECONDARY_FIRE", "CHIMNEY_FIRE")
                                    .get(random.nextInt(4)),
                            List.of("DELIBERATE", "ACCIDENTAL", "ACCIDENTAL", "NOT_KNOWN").get(random.nextInt(4)),
                            byWard ? randomWard(district, at.toLocalDate(), random).name() : "",
                            byWard ? "" : district.name()));
                }
            }
        }
        return table;
    }

    // ---- police recorded crime ---------------------------------------------------------------------

    /** Cambridge's crimes in the year to September 2020 by ONS offence subgroup: about 14,000 in all. */
    private static final Map<String, Integer> CITY_CRIME_YEAR = crimeYear();
    private static final Map<String, String> OFFENCE_GROUP_OF = offenceGroups();
    /** Subgroups with no person victim, or none the force records an age for. */
    private static final Set<String> NO_PERSON_VICTIM = Set.of("SHOPLIFTING", "ROBBERY_OF_BUSINESS_PROPERTY",
            "TRAFFICKING_OF_DRUGS", "POSSESSION_OF_DRUGS", "POSSESSION_OF_WEAPONS", "PUBLIC_ORDER",
            "OTHER_CRIMES_AGAINST_SOCIETY");
    /** The offence groups a hate crime is recorded in here. */
    private static final Set<String> HATE_GROUPS = Set.of("VIOLENCE_AGAINST_THE_PERSON", "PUBLIC_ORDER_OFFENCES",
            "CRIMINAL_DAMAGE_AND_ARSON");
    /** Cambridge's hate crimes in January to August of a year, as the partnership's assessment quotes them. */
    private static final Map<Integer, Integer> CITY_HATE_CRIMES_JAN_TO_AUG = Map.of(2019, 1753, 2020, 951);
    private static final int OTHER_CRIMES_PER_MONTH = 60;
    private static final String PETERBOROUGH = "E06000031";
    /** Peterborough's hate crimes in a month against Cambridge's. */
    private static final double PETERBOROUGH_HATE_CRIMES = 1.25;

    private static Map<String, Integer> crimeYear() {
        final Map<String, Integer> year = new java.util.LinkedHashMap<>();
        // violence against the person: 4,020, of which violence without injury 55% and stalking and harassment 24%
        year.put("HOMICIDE", 2);
        year.put("DEATH_OR_SERIOUS_INJURY_UNLAWFUL_DRIVING", 4);
        year.put("VIOLENCE_WITH_INJURY", 840);
        year.put("VIOLENCE_WITHOUT_INJURY", 2213);
        year.put("STALKING_AND_HARASSMENT", 961);
        year.put("RAPE", 130);
        year.put("OTHER_SEXUAL_OFFENCES", 320);
        year.put("ROBBERY_OF_BUSINESS_PROPERTY", 20);
        year.put("ROBBERY_OF_PERSONAL_PROPERTY", 130);
        year.put("BURGLARY", 900);
        year.put("VEHICLE_OFFENCES", 1100);
        year.put("THEFT_FROM_THE_PERSON", 450);
        year.put("BICYCLE_THEFT", 1900);
        year.put("SHOPLIFTING", 1300);
        year.put("ALL_OTHER_THEFT_OFFENCES", 850);
        year.put("ARSON", 60);
        year.put("CRIMINAL_DAMAGE", 1240);
        year.put("TRAFFICKING_OF_DRUGS", 90);
        year.put("POSSESSION_OF_DRUGS", 310);
        year.put("POSSESSION_OF_WEAPONS", 100);
        year.put("PUBLIC_ORDER", 900);
        year.put("MODERN_SLAVERY", 10);
        year.put("OTHER_CRIMES_AGAINST_SOCIETY", 170);
        return java.util.Collections.unmodifiableMap(year);
    }

    /** Each subgroup's group, as the shipped contract's crime tree has it. */
    private static Map<String, String> offenceGroups() {
        final Map<String, String> groups = new HashMap<>();
        final org.csphub.contracts.ColumnType.Enum subgroup = (org.csphub.contracts.ColumnType.Enum)
                ShippedContracts.of("police-crime").column("offence_subgroup").orElseThrow().type();
        subgroup.within().orElseThrow().groups().forEach((group, values) -> values.forEach(
                value -> groups.put(value, group)));
        return Map.copyOf(groups);
    }

    /** A month's share of a crime year: a little more in summer; fewer in 2020's lockdowns. */
    private static double crimeSeason(final YearMonth month) {
        final double season = 1 + 0.08 * Math.cos((month.getMonthValue() - 7) * Math.PI / 6);
        final double lockdown = switch (month.toString()) {
            case "2020-04" -> 0.70;
            case "2020-05" -> 0.82;
            case "2020-06" -> 0.93;
            case "2020-11" -> 0.85;
            case "2021-01", "2021-02" -> 0.80;
            default -> 1;
        };
        return season * lockdown;
    }

    private record Crime(LocalDate on, String subgroup, District district, boolean domesticAbuse, int index) {
    }

    /**
     * Police recorded crime: Cambridge at about 14,000 crimes a year, its year to September 2020 exactly
     * {@link #CITY_CRIME_YEAR} (other years vary around it), and exactly the quoted hate crimes in January
     * to August 2019 and 2020; the other districts lighter, but Peterborough with a quarter more hate
     * crimes than Cambridge each month (the most in number, not per resident). Whole October-to-September years are made, so
     * the figures are exact whichever of their months are written.
     */
    private Table crime(final List<YearMonth> months, final Random random) {
        final Table table = new Table(List.of("crime_id", "recorded_on", "offence_group", "offence_subgroup",
                "domestic_abuse", "hate_crime", "victim_age", "ward", "lsoa"), 7, 2, List.of(1), List.of(4));
        final District city = geography.district(CAMBRIDGE).orElseThrow();
        final List<District> others = otherDistricts();
        final List<String> subgroups = new ArrayList<>(CITY_CRIME_YEAR.keySet());
        final double[] otherWeights = subgroups.stream().mapToDouble(CITY_CRIME_YEAR::get).toArray();
        final List<Crime> crimes = new ArrayList<>();
        final YearMonth last = octoberYearOf(months.get(months.size() - 1)).plusMonths(11);
        for (YearMonth year = octoberYearOf(months.get(0)); !year.isAfter(last); year = year.plusMonths(12)) {
            final double[] season = new double[12];
            for (int m = 0; m < 12; m++) {
                season[m] = crimeSeason(year.plusMonths(m));
            }
            final boolean calibrated = year.equals(YearMonth.of(2019, 10));
            for (final String subgroup : subgroups) {
                final int published = CITY_CRIME_YEAR.get(subgroup);
                final int count = calibrated ? published
                        : (int) Math.round(published * (0.9 + 0.2 * random.nextDouble()));
                final int[] perMonth = Quotas.allocate(count, season);
                for (int m = 0; m < 12; m++) {
                    for (int i = 0; i < perMonth[m]; i++) {
                        crimes.add(crimeOn(dayIn(year.plusMonths(m), random), subgroup, city, crimes.size(), random));
                    }
                }
            }
            for (int m = 0; m < 12; m++) {
                final YearMonth month = year.plusMonths(m);
                for (final District district : others) {
                    final int count = (int) Math.round(OTHER_CRIMES_PER_MONTH * season[m]);
                    for (int i = 0; i < count; i++) {
                        crimes.add(crimeOn(dayIn(month, random), subgroups.get(pick(otherWeights, random)), district,
                                crimes.size(), random));
                    }
                }
            }
        }
        final District most = geography.district(PETERBOROUGH).orElseThrow();
        final boolean[] hate = withPeterboroughsHateCrimes(crimes, hateCrimes(crimes, city, most, random), city, most,
                subgroups, random);
        final Set<YearMonth> wanted = new HashSet<>(months);
        final List<String> cityNames = wardNames(CAMBRIDGE, months.get(0).atDay(1));
        final double[] cityWeights = weightsWithFixed(cityNames, List.of("Market"), new double[] {0.16}, random);
        crimes.sort(Comparator.comparing(Crime::on).thenComparing(Crime::index));
        int sequence = 0;
        for (final Crime crime : crimes) {
            if (!wanted.contains(YearMonth.from(crime.on()))) {
                continue;
            }
            final Ward ward = crime.district().equals(city)
                    ? wardNamed(cityNames.get(pick(cityWeights, random)), crime.on())
                    : randomWard(crime.district(), crime.on(), random);
            final String[] area = wardOrLsoa(ward, crime.on(), random);
            final String age = NO_PERSON_VICTIM.contains(crime.subgroup()) || random.nextInt(100) < 4 ? ""
                    : String.valueOf(Math.min(95, Math.max(0, (int) Math.round(32 + random.nextGaussian() * 15))));
            table.add(List.of(String.format("CR-%08d", ++sequence), partnerDate(crime.on(), random),
                    OFFENCE_GROUP_OF.get(crime.subgroup()), crime.subgroup(), yesNo(crime.domesticAbuse(), random),
                    yesNo(hate[crime.index()], random), age, area[0], area[1]));
        }
        return table;
    }

    private static Crime crimeOn(final LocalDate on, final String subgroup, final District district, final int index,
            final Random random) {
        final int percent = switch (OFFENCE_GROUP_OF.get(subgroup)) {
            case "VIOLENCE_AGAINST_THE_PERSON" -> on.getYear() == 2020 && on.getMonthValue() >= 4
                    && on.getMonthValue() <= 6 ? 40 : 33;
            case "SEXUAL_OFFENCES" -> 20;
            case "CRIMINAL_DAMAGE_AND_ARSON" -> 8;
            default -> 1;
        };
        return new Crime(on, subgroup, district, random.nextInt(100) < percent, index);
    }

    /**
     * Which crimes are hate crimes: in Cambridge, exactly the quoted number of those of January to August
     * 2019 and 2020 (in the groups hate crimes are recorded in); in Peterborough none of these (its hate
     * crimes are added after, from Cambridge's); elsewhere and otherwise, one in eight of those groups' crimes.
     */
    private static boolean[] hateCrimes(final List<Crime> crimes, final District city, final District most,
            final Random random) {
        final boolean[] hate = new boolean[crimes.size()];
        final Map<Integer, List<Integer>> calibrated = new HashMap<>();
        for (final Crime crime : crimes) {
            if (!HATE_GROUPS.contains(OFFENCE_GROUP_OF.get(crime.subgroup())) || crime.district().equals(most)) {
                continue;
            }
            final int year = crime.on().getYear();
            if (crime.district().equals(city) && crime.on().getMonthValue() <= 8
                    && CITY_HATE_CRIMES_JAN_TO_AUG.containsKey(year)) {
                calibrated.computeIfAbsent(year, key -> new ArrayList<>()).add(crime.index());
            } else {
                hate[crime.index()] = random.nextInt(8) == 0;
            }
        }
        calibrated.forEach((year, candidates) -> {
            Collections.shuffle(candidates, random);
            candidates.subList(0, Math.min(candidates.size(), CITY_HATE_CRIMES_JAN_TO_AUG.get(year)))
                    .forEach(index -> hate[index] = true);
        });
        return hate;
    }

    /**
     * Peterborough's hate crimes, added to {@code crimes}: in each month, {@link #PETERBOROUGH_HATE_CRIMES}
     * times Cambridge's (rounded), in the groups hate crimes are recorded in. Peterborough then has the
     * most hate crimes of any district in any span of months, and, with about 1.6 times Cambridge's
     * residents, a lower rate per 1,000 residents: the 2020 assessment's comparison of districts. Gives
     * the hate flags of the crimes, the added ones included.
     */
    private static boolean[] withPeterboroughsHateCrimes(final List<Crime> crimes, final boolean[] hate,
            final District city, final District most, final List<String> subgroups, final Random random) {
        final java.util.TreeMap<YearMonth, Integer> cityHate = new java.util.TreeMap<>();
        for (final Crime crime : crimes) {
            if (hate[crime.index()] && crime.district().equals(city)) {
                cityHate.merge(YearMonth.from(crime.on()), 1, Integer::sum);
            }
        }
        final List<String> hateSubgroups = subgroups.stream()
                .filter(subgroup -> HATE_GROUPS.contains(OFFENCE_GROUP_OF.get(subgroup))).toList();
        final double[] weights = hateSubgroups.stream().mapToDouble(CITY_CRIME_YEAR::get).toArray();
        final int before = crimes.size();
        cityHate.forEach((month, count) -> {
            for (int i = 0; i < Math.round(count * PETERBOROUGH_HATE_CRIMES); i++) {
                crimes.add(crimeOn(dayIn(month, random), hateSubgroups.get(pick(weights, random)), most, crimes.size(),
                        random));
            }
        });
        final boolean[] all = Arrays.copyOf(hate, crimes.size());
        Arrays.fill(all, before, crimes.size(), true);
        return all;
    }

    // ---- council needle finds ----------------------------------------------------------------------

    private static final YearMonth NEEDLES_FROM = YearMonth.of(2019, 1);
    private static final YearMonth NEEDLES_TO = YearMonth.of(2020, 9);
    /** Cambridge's finds and needles from January 2019 to September 2020, as the assessment quotes them. */
    private static final int CITY_FINDS = 318;
    private static final int CITY_NEEDLES = 2457;

    /**
     * Council needle finds: in Cambridge from January 2019 to September 2020 exactly 318 finds of 2,457
     * needles, Market 27%, Petersfield 16% and Romsey 12% of the finds (more in summer); outside that span
     * about as many a month, and a few a month in each other district.
     */
    private Table needles(final List<YearMonth> months, final Random random) {
        final Table table = new Table(List.of("find_id", "found_on", "ward", "lsoa", "needles"), 2, 4, List.of(1),
                List.of(4));
        record Find(LocalDate on, District district, String ward, int needles) {
        }
        final District city = geography.district(CAMBRIDGE).orElseThrow();
        final List<String> cityNames = wardNames(CAMBRIDGE, NEEDLES_FROM.atDay(1));
        final double[] cityWeights = weightsWithFixed(cityNames, List.of("Market", "Petersfield", "Romsey"),
                new double[] {0.27, 0.16, 0.12}, random);
        final List<Find> finds = new ArrayList<>();
        final Set<YearMonth> wanted = new HashSet<>(months);
        final boolean spanWanted = months.stream().anyMatch(month -> !month.isBefore(NEEDLES_FROM)
                && !month.isAfter(NEEDLES_TO));
        if (spanWanted) {
            final List<YearMonth> span = new ArrayList<>();
            for (YearMonth month = NEEDLES_FROM; !month.isAfter(NEEDLES_TO); month = month.plusMonths(1)) {
                span.add(month);
            }
            final int[] perMonth = Quotas.allocate(CITY_FINDS, span.stream()
                    .mapToDouble(month -> 1 + 0.3 * Math.cos((month.getMonthValue() - 7) * Math.PI / 6)).toArray());
            final List<String> wards = Quotas.deal(cityNames, cityWeights, CITY_FINDS, random);
            // a find is mostly a needle or a few, now and then a stash
            final double[] stash = new double[CITY_FINDS];
            for (int i = 0; i < CITY_FINDS; i++) {
                stash[i] = Math.min(40, Math.pow(-Math.log(1 - random.nextDouble()), 2));
            }
            final int[] extra = Quotas.allocate(CITY_NEEDLES - CITY_FINDS, stash);
            int at = 0;
            for (int m = 0; m < span.size(); m++) {
                for (int i = 0; i < perMonth[m]; i++, at++) {
                    finds.add(new Find(dayIn(span.get(m), random), city, wards.get(at), 1 + extra[at]));
                }
            }
        }
        for (final YearMonth month : months) {
            if (month.isBefore(NEEDLES_FROM) || month.isAfter(NEEDLES_TO)) {
                for (int i = 0; i < 12 + random.nextInt(8); i++) {
                    finds.add(new Find(dayIn(month, random), city, cityNames.get(pick(cityWeights, random)),
                            1 + (int) Math.floor(Math.min(40, Math.pow(-Math.log(1 - random.nextDouble()), 2)) * 6)));
                }
            }
            for (final District district : otherDistricts()) {
                for (int i = 0; i < 2 + random.nextInt(4); i++) {
                    finds.add(new Find(dayIn(month, random), district, null, 1 + random.nextInt(6)));
                }
            }
        }
        finds.sort(Comparator.comparing(Find::on));
        int sequence = 0;
        for (final Find find : finds) {
            if (!wanted.contains(YearMonth.from(find.on()))) {
                continue;
            }
            final Ward ward = find.ward() != null ? wardNamed(find.ward(), find.on())
                    : randomWard(find.district(), find.on(), random);
            final String[] area = wardOrLsoa(ward, find.on(), random);
            table.add(List.of(String.format("NF-%06d", ++sequence), partnerDate(find.on(), random), area[0], area[1],
                    String.valueOf(find.needles())));
        }
        return table;
    }

    // ---- ED assault attendances --------------------------------------------------------------------

    /**
     * ED assault attendances: about 300 a year from Cambridge and a hundred from each other district,
     * two thirds male, mostly young adults; one in twelve with no known residence (no ward).
     */
    private Table edAssaults(final List<YearMonth> months, final Random random) {
        final Table table = new Table(List.of("attendance_id", "attended_on", "ward", "lsoa", "sex", "age"), 2, 4,
                List.of(1), List.of(4));
        final District city = geography.district(CAMBRIDGE).orElseThrow();
        final List<District> districts = new ArrayList<>();
        districts.add(city);
        districts.addAll(otherDistricts());
        final int cityPerMonth = 25;
        final int otherPerMonth = 8;
        final int perMonth = cityPerMonth + otherPerMonth * (districts.size() - 1);
        final List<String> sexes = Quotas.deal(List.of("M", "F", "U"), new double[] {0.66, 0.33, 0.01},
                perMonth * months.size(), random);
        int sequence = 0;
        for (final YearMonth month : months) {
            final List<LocalDate> days = new ArrayList<>();
            final List<District> from = new ArrayList<>();
            for (final District district : districts) {
                for (int i = 0; i < (district.equals(city) ? cityPerMonth : otherPerMonth); i++) {
                    days.add(dayIn(month, random));
                    from.add(district);
                }
            }
            Collections.shuffle(from, random);
            Collections.sort(days);
            for (int i = 0; i < perMonth; i++) {
                final LocalDate on = days.get(i);
                final District district = from.get(i);
                final String[] area = random.nextInt(12) == 0 ? new String[] {"", ""}
                        : wardOrLsoa(randomWard(district, on, random), on, random);
                // assaults peak among young adults; a few ages are not recorded
                final String age = random.nextInt(100) < 4 ? "" : String.valueOf(Math.min(95,
                        Math.max(0, (int) Math.round(27 + random.nextGaussian() * 11))));
                table.add(List.of(String.format("ED-%07d", ++sequence), partnerDate(on, random), area[0], area[1],
                        sexes.get(sequence - 1), age));
            }
        }
        return table;
    }

    // ---- shared ------------------------------------------------------------------------------------

    private List<District> otherDistricts() {
        return geography.districts().stream().filter(district -> !district.code().equals(CAMBRIDGE))
                .sorted(Comparator.comparing(District::code)).toList();
    }

    private List<String> wardNames(final String districtCode, final LocalDate on) {
        return geography.wards(geography.district(districtCode).orElseThrow(), on).stream().map(Ward::name).toList();
    }

    /** Given shares for the named wards; the rest share what is left, unevenly. */
    private static double[] weightsWithFixed(final List<String> names, final List<String> fixed, final double[] shares,
            final Random random) {
        final double[] weights = new double[names.size()];
        final double left = 1 - Arrays.stream(shares).sum();
        double spread = 0;
        final double[] raw = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            if (!fixed.contains(names.get(i))) {
                raw[i] = 0.6 + random.nextDouble();
                spread += raw[i];
            }
        }
        for (int i = 0; i < names.size(); i++) {
            final int at = fixed.indexOf(names.get(i));
            weights[i] = at >= 0 ? shares[at] : left * raw[i] / spread;
        }
        return weights;
    }

    private Ward wardNamed(final String name, final LocalDate on) {
        return geography.wardByName(name, on).orElseThrow(() -> new IllegalStateException("No ward " + name + " on " + on));
    }

    private Ward randomWard(final District district, final LocalDate on, final Random random) {
        final List<Ward> wards = geography.wards(district, on);
        return wards.get(random.nextInt(wards.size()));
    }

    /** The ward by name (usually), by ONS code, or by an LSOA that lies in it on that date. */
    private String[] wardOrLsoa(final Ward ward, final LocalDate on, final Random random) {
        final int form = random.nextInt(10);
        if (form == 0) {
            return new String[] {ward.code(), ""};
        }
        if (form == 1) {
            final List<String> lsoas = lsoasOf(ward, on);
            if (!lsoas.isEmpty()) {
                return new String[] {"", lsoas.get(random.nextInt(lsoas.size()))};
            }
        }
        return new String[] {ward.name(), ""};
    }

    private final Map<String, List<String>> lsoaCache = new HashMap<>();
    private List<String> lsoaCodes;

    private List<String> lsoasOf(final Ward ward, final LocalDate on) {
        return lsoaCache.computeIfAbsent(ward.code() + "@" + on, key -> knownLsoas().stream()
                .filter(lsoa -> geography.wardByLsoa(lsoa, on).map(found -> found.equals(ward)).orElse(false))
                .toList());
    }

    /** The LSOA codes of the default geography's lookup, read once. */
    private List<String> knownLsoas() {
        if (lsoaCodes == null) {
            try (InputStream in = Geography.class.getResourceAsStream("/geography/lsoa11-to-ward.csv");
                    CSVParser parser = CSVFormat.DEFAULT.builder().setHeader()
                            .setSkipHeaderRecord(true).get().parse(new InputStreamReader(in,
                                    StandardCharsets.UTF_8))) {
                lsoaCodes = parser.stream().map(row -> row.get(0)).filter(geography::knowsLsoa).toList();
            } catch (IOException | NullPointerException e) {
                lsoaCodes = List.of();
            }
        }
        return lsoaCodes;
    }

    private static LocalDateTime momentIn(final YearMonth month, final Random random) {
        return month.atDay(1 + random.nextInt(month.lengthOfMonth()))
                .atTime(LocalTime.ofSecondOfDay(60L * random.nextInt(24 * 60)));
    }

    private static String dateTime(final LocalDateTime at, final Random random) {
        return random.nextInt(3) == 0 ? at.format(UK) : at.toString();
    }

    private static String idvaDate(final LocalDate on, final Random random) {
        return partnerDate(on, random);
    }

    /** A date as partners write it: ISO-8601, or now and then dd/MM/yyyy. */
    private static String partnerDate(final LocalDate on, final Random random) {
        return random.nextInt(3) == 0 ? on.format(UK_DATE) : on.toString();
    }

    private static LocalDate dayIn(final YearMonth month, final Random random) {
        return month.atDay(1 + random.nextInt(month.lengthOfMonth()));
    }

    /** An index drawn with the given weights. */
    private static int pick(final double[] weights, final Random random) {
        double left = random.nextDouble() * Arrays.stream(weights).sum();
        for (int i = 0; i < weights.length; i++) {
            left -= weights[i];
            if (left < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static String yesNo(final boolean value, final Random random) {
        return random.nextInt(4) == 0 ? (value ? "Y" : "N") : (value ? "yes" : "no");
    }

    /** The rows of one export, with what the generator needs to spoil or correct them. */
    private static final class Table {

        private final List<String> header;
        private final int areaColumn;
        private final int enumColumn;
        private final List<Integer> dateColumns;
        private final List<Integer> correctable;
        private final List<List<String>> rows = new ArrayList<>();

        Table(final List<String> header, final int areaColumn, final int enumColumn, final List<Integer> dateColumns,
                final List<Integer> correctable) {
            this.header = header;
            this.areaColumn = areaColumn;
            this.enumColumn = enumColumn;
            this.dateColumns = dateColumns;
            this.correctable = correctable;
        }

        void add(final List<String> row) {
            rows.add(new ArrayList<>(row));
        }

        /**
         * Extra rows, each with one fault: a bad or future date, a value outside its list (or, for a crime, a
         * subgroup outside its group), a blank id, an unknown place.
         */
        void addBadRows(final double share, final Random random, final Clock clock) {
            final int count = (int) Math.round(share * rows.size());
            for (int i = 0; i < count; i++) {
                final List<String> bad = new ArrayList<>(rows.get(random.nextInt(rows.size())));
                bad.set(0, String.format("BAD-%06d", i + 1));
                switch (random.nextInt(5)) {
                    case 0 -> bad.set(dateColumns.get(0), "31/02/2020");
                    case 1 -> bad.set(dateColumns.get(0), LocalDate.now(clock).plusDays(40).toString());
                    case 2 -> {
                        // a crime's subgroup of another group, every other time; else a value outside the list
                        final int subgroup = header.indexOf("offence_subgroup");
                        if (subgroup >= 0 && i % 2 == 0) {
                            bad.set(subgroup, bad.get(subgroup).equals("SHOPLIFTING") ? "HOMICIDE" : "SHOPLIFTING");
                            bad.set(enumColumn, bad.get(subgroup).equals("SHOPLIFTING")
                                    ? "VIOLENCE_AGAINST_THE_PERSON" : "THEFT_OFFENCES");
                        } else {
                            bad.set(enumColumn, "UNKNOWN");
                        }
                    }
                    case 3 -> bad.set(0, "");
                    default -> {
                        bad.set(areaColumn, header.get(areaColumn).equals("district") ? "Cambridgeshire North"
                                : "Marketplace");
                        if (header.get(areaColumn).equals("ward") && header.contains("lsoa")) {
                            bad.set(header.indexOf("lsoa"), "");
                        }
                    }
                }
                rows.add(random.nextInt(rows.size() + 1), bad);
            }
        }

        /** Re-sent rows with one value changed, and retractions, of a share of the rows. */
        Table corrections(final double share, final Random random) {
            final List<String> withAction = new ArrayList<>(header);
            withAction.add("action");
            final Table corrections = new Table(withAction, areaColumn, enumColumn, dateColumns, correctable);
            final int count = (int) Math.round(share * rows.size());
            final List<Integer> picked = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                picked.add(i);
            }
            Collections.shuffle(picked, random);
            int made = 0;
            for (final int index : picked.subList(0, Math.min(count, picked.size()))) {
                final List<String> row = new ArrayList<>(rows.get(index));
                // one correction in five is a retraction
                if (made++ % 5 == 0) {
                    final List<String> retraction = new ArrayList<>();
                    retraction.add(row.get(0));
                    for (int c = 1; c < row.size(); c++) {
                        retraction.add("");
                    }
                    retraction.add("DELETE");
                    corrections.add(retraction);
                } else {
                    final int column = correctable.get(0);
                    row.set(column, corrected(header.get(column), row.get(column)));
                    row.add("UPSERT");
                    corrections.add(row);
                }
            }
            corrections.rows.sort(Comparator.comparing(row -> row.get(0)));
            return corrections;
        }

        private static String corrected(final String column, final String value) {
            return switch (column) {
                case "category" -> value.equals("NUISANCE") ? "PERSONAL" : "NUISANCE";
                case "sex" -> value.equals("M") ? "F" : "M";
                case "engaged" -> value.toLowerCase(Locale.ROOT).startsWith("y") ? "no" : "yes";
                case "cause" -> value.equals("ACCIDENTAL") ? "DELIBERATE" : "ACCIDENTAL";
                case "domestic_abuse" -> value.toLowerCase(Locale.ROOT).startsWith("y") ? "no" : "yes";
                // a recount
                case "needles" -> String.valueOf(Integer.parseInt(value) < 1000 ? Integer.parseInt(value) + 1 : 999);
                default -> value;
            };
        }

        Path write(final Path file) {
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
                            .setHeader(header.toArray(String[]::new)).setRecordSeparator("\n").get())) {
                for (final List<String> row : rows) {
                    printer.printRecord(row);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + file, e);
            }
            return file;
        }
    }
}
