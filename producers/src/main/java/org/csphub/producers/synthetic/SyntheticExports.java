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
 * 193 fires a year in Cambridge, 24% deliberate, 63% accidental, 13% not known. Every date is before the
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
        return dir.resolve(feed.slug() + ".csv");
    }

    /** The file a feed's corrections are written to. */
    public static Path correctionsOf(final Path dir, final Feed feed) {
        return dir.resolve(feed.slug() + ".corrections.csv");
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

    private Table asb(final List<YearMonth> months, final Random random) {
        final Table table = new Table(List.of("incident_id", "reported_at", "category", "ward", "lsoa"), 3, 2,
                List.of(1), List.of(2));
        final int cityPerMonth = 120;
        final int otherPerMonth = 40;
        final List<String> cityNames = wardNames(CAMBRIDGE, months.get(0).atDay(1));
        final double[] cityWeights = weightsWithFixed(cityNames, List.of("Market"), new double[] {0.20}, random);
        final List<String> cityWards = Quotas.deal(cityNames, cityWeights, cityPerMonth * months.size(), random);
        final List<District> others = otherDistricts();
        final int total = months.size() * (cityPerMonth + otherPerMonth * others.size());
        final List<String> categories = Quotas.deal(List.of("NUISANCE", "PERSONAL", "ENVIRONMENTAL"),
                new double[] {0.83, 0.12, 0.05}, total, random);
        int sequence = 0;
        int cityIndex = 0;
        for (final YearMonth month : months) {
            for (int i = 0; i < cityPerMonth + otherPerMonth * others.size(); i++) {
                final LocalDateTime at = momentIn(month, random);
                final Ward ward = i < cityPerMonth
                        ? wardNamed(cityWards.get(cityIndex++), at.toLocalDate())
                        : randomWard(others.get((i - cityPerMonth) / otherPerMonth), at.toLocalDate(), random);
                final String[] area = wardOrLsoa(ward, at.toLocalDate(), random);
                table.add(List.of(String.format("ASB-%07d", ++sequence), dateTime(at, random),
                        categories.get(sequence - 1), area[0], area[1]));
            }
        }
        return table;
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
        return random.nextInt(3) == 0 ? on.format(UK_DATE) : on.toString();
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

        /** Extra rows, each with one fault: a bad or future date, a value outside its list, a blank id, an unknown place. */
        void addBadRows(final double share, final Random random, final Clock clock) {
            final int count = (int) Math.round(share * rows.size());
            for (int i = 0; i < count; i++) {
                final List<String> bad = new ArrayList<>(rows.get(random.nextInt(rows.size())));
                bad.set(0, String.format("BAD-%06d", i + 1));
                switch (random.nextInt(5)) {
                    case 0 -> bad.set(dateColumns.get(0), "31/02/2020");
                    case 1 -> bad.set(dateColumns.get(0), LocalDate.now(clock).plusDays(40).toString());
                    case 2 -> bad.set(enumColumn, "UNKNOWN");
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
