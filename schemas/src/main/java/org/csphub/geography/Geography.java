package org.csphub.geography;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The reference geography: districts, the wards of each boundary set with the dates they were in
 * force, LSOAs mapped to wards, and district aliases. Loaded from CSV files in the shape of the ONS
 * lookups ({@code WD21CD,WD21NM,LAD21CD,LAD21NM}; {@code LSOA11CD,LSOA11NM,WD20CD,...}), with residents
 * by area and year beside them ({@link Population}); the default is Cambridgeshire and Peterborough.
 *
 * <p>Ward codes of two boundary sets are never joined by name: a ward given by name resolves to the
 * code in force on the event's date.
 */
public final class Geography {

    /** The shipped residents by area and year: labelled approximations of the ONS mid-year estimates. */
    public static final String POPULATION = "population.csv";
    /** Cambridge's wards changed on the May 2021 elections (6 May 2021). */
    public static final LocalDate MAY_2021_BOUNDARIES = LocalDate.of(2021, 5, 6);

    private static final Pattern WARD_CODE = Pattern.compile("(?i)WD\\d\\dCD");
    private static final Pattern WARD_NAME = Pattern.compile("(?i)WD\\d\\dNM");
    private static final Pattern DISTRICT_CODE = Pattern.compile("(?i)LAD\\d\\dCD");
    private static final Pattern DISTRICT_NAME = Pattern.compile("(?i)LAD\\d\\dNM");
    private static final Pattern LSOA_CODE = Pattern.compile("(?i)LSOA\\d\\dCD");
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();
    /**
     * Longer than any area's name, even with punctuation and spacing to spare (the longest in England is
     * under 100 characters): text longer than this names no area, and is not normalised to find out.
     */
    static final int MAX_NAME_LENGTH = 1_000;
    /** How much of a name suggestions compare with the known names. */
    static final int COMPARED_LENGTH = 100;

    /** One file of wards and the dates its boundaries were in force. */
    public record WardSet(Path file, LocalDate validFrom, LocalDate validTo) {
    }

    private final String cspCode;
    private final String cspName;
    private Population population = Population.NONE;
    private final Map<String, District> districtsByCode = new LinkedHashMap<>();
    private final Map<String, District> districtsByName = new LinkedHashMap<>();
    private final Map<String, Ward> wardsByCode = new LinkedHashMap<>();
    private final Map<String, List<Ward>> wardsByName = new LinkedHashMap<>();
    private final Map<String, List<String>> wardCodesByLsoa = new LinkedHashMap<>();
    /** Each area name as suggestions compare it, made once: normalising a name is dearer than measuring it. */
    private final Map<String, String> comparedNames = new ConcurrentHashMap<>();
    /** The names of the wards in force on a date: rows of one export fall on a few hundred dates at most. */
    private final Map<LocalDate, List<String>> wardNamesByDate = new ConcurrentHashMap<>();
    private static final int MAX_DATES_KEPT = 10_000;

    private Geography(final String cspCode, final String cspName) {
        this.cspCode = cspCode;
        this.cspName = cspName;
    }

    /** Cambridgeshire and Peterborough: the geography that ships with the hub. */
    public static Geography defaults() {
        final Geography geography = new Geography("cambridgeshire-and-peterborough", "Cambridgeshire and Peterborough");
        geography.readWards(resource("wards-2020.csv"), "wards-2020.csv", LocalDate.MIN,
                MAY_2021_BOUNDARIES.minusDays(1));
        geography.readWards(resource("wards-2021.csv"), "wards-2021.csv", MAY_2021_BOUNDARIES, LocalDate.MAX);
        geography.readLsoas(resource("lsoa11-to-ward.csv"), "lsoa11-to-ward.csv");
        geography.readAliases(resource("district-aliases.csv"), "district-aliases.csv");
        geography.population = Population.read(resource(POPULATION), POPULATION, geography);
        return geography;
    }

    /**
     * A geography of one's own: ward files in the ONS ward-to-district lookup shape with the dates
     * each was in force, an optional LSOA-to-ward lookup and optional district aliases
     * ({@code alias,LAD_CD}).
     */
    public static Geography load(final String cspCode, final String cspName, final List<WardSet> wardSets,
            final Optional<Path> lsoaLookup, final Optional<Path> aliases) {
        return load(cspCode, cspName, wardSets, lsoaLookup, aliases, Optional.empty());
    }

    /**
     * A geography of one's own with residents by area and year ({@link Population}'s layout), checked
     * against its wards and districts; without a population file, rates per resident are null.
     */
    public static Geography load(final String cspCode, final String cspName, final List<WardSet> wardSets,
            final Optional<Path> lsoaLookup, final Optional<Path> aliases, final Optional<Path> population) {
        final Geography geography = new Geography(cspCode, cspName);
        for (final WardSet set : wardSets) {
            geography.readWards(open(set.file()), set.file().toString(), set.validFrom(), set.validTo());
        }
        lsoaLookup.ifPresent(file -> geography.readLsoas(open(file), file.toString()));
        aliases.ifPresent(file -> geography.readAliases(open(file), file.toString()));
        population.ifPresent(file -> geography.population = Population.read(open(file), file.toString(), geography));
        return geography;
    }

    public String cspCode() {
        return cspCode;
    }

    public String cspName() {
        return cspName;
    }

    public Collection<District> districts() {
        return districtsByCode.values();
    }

    /** Every ward of every boundary set, in the order the lookups list them. */
    public Collection<Ward> allWards() {
        return wardsByCode.values();
    }

    /** Residents by area and year: the shipped approximations, a file of one's own, or none. */
    public Population population() {
        return population;
    }

    /** The wards in force on {@code date}, ordered by name. */
    public List<Ward> wards(final LocalDate date) {
        return wardsByCode.values().stream().filter(ward -> ward.inForceOn(date))
                .sorted(Comparator.comparing(Ward::name)).toList();
    }

    /** The wards of one district in force on {@code date}, ordered by name. */
    public List<Ward> wards(final District district, final LocalDate date) {
        return wards(date).stream().filter(ward -> ward.district().equals(district)).toList();
    }

    public Optional<Ward> wardByCode(final String code) {
        return Optional.ofNullable(wardsByCode.get(code.trim().toUpperCase(Locale.ROOT)));
    }

    /** The ward of that name in force on {@code date}, matched as {@link AreaNames} compares names. */
    public Optional<Ward> wardByName(final String name, final LocalDate date) {
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        for (final Ward ward : wardsByName.getOrDefault(AreaNames.normalise(name), List.of())) {
            if (ward.inForceOn(date)) {
                return Optional.of(ward);
            }
        }
        return Optional.empty();
    }

    /** A ward by ONS code, or by name on {@code date}. */
    public Optional<Ward> ward(final String codeOrName, final LocalDate date) {
        return wardByCode(codeOrName).or(() -> wardByName(codeOrName, date));
    }

    /** The ward an LSOA lies in, in the boundary set in force on {@code date}. */
    public Optional<Ward> wardByLsoa(final String lsoaCode, final LocalDate date) {
        return wardCodesByLsoa.getOrDefault(lsoaCode.trim().toUpperCase(Locale.ROOT), List.of()).stream()
                .map(wardsByCode::get).filter(ward -> ward != null && ward.inForceOn(date)).findFirst();
    }

    public boolean knowsLsoa(final String lsoaCode) {
        return wardCodesByLsoa.containsKey(lsoaCode.trim().toUpperCase(Locale.ROOT));
    }

    /** A district by ONS code, name or alias. */
    public Optional<District> district(final String codeOrName) {
        if (codeOrName.length() > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        final District byCode = districtsByCode.get(codeOrName.trim().toUpperCase(Locale.ROOT));
        return byCode != null ? Optional.of(byCode)
                : Optional.ofNullable(districtsByName.get(AreaNames.normalise(codeOrName)));
    }

    /** Up to {@code max} ward names in force on {@code date} nearest to {@code name}, nearest first. */
    public List<String> nearestWardNames(final String name, final LocalDate date, final int max) {
        if (wardNamesByDate.size() > MAX_DATES_KEPT) {
            wardNamesByDate.clear();
        }
        return nearest(name, wardNamesByDate.computeIfAbsent(date,
                on -> wards(on).stream().map(Ward::name).distinct().toList()), max);
    }

    /** Up to {@code max} district names nearest to {@code name}, nearest first. */
    public List<String> nearestDistrictNames(final String name, final int max) {
        return nearest(name, districts().stream().map(District::name).toList(), max);
    }

    /**
     * The {@code max} candidates at the least edit distance from {@code name} (ties in name order). The
     * candidates' compared forms are made once; a candidate is measured only as far as it could still
     * rank (a distance bounded by the worst of those kept so far, and skipped outright when the lengths
     * alone differ by more), so that a row of unknown names costs little more than a lookup.
     */
    private List<String> nearest(final String name, final List<String> candidates, final int max) {
        final String wanted = compared(name);
        final List<Ranked> kept = new ArrayList<>(max + 1);
        for (final String candidate : candidates) {
            final String form = comparedNames.computeIfAbsent(candidate, Geography::compared);
            final int worst = kept.size() < max ? Integer.MAX_VALUE : kept.get(kept.size() - 1).distance();
            if (Math.abs(form.length() - wanted.length()) > worst) {
                continue;
            }
            final int distance = worst == Integer.MAX_VALUE ? DISTANCE.apply(wanted, form)
                    : new LevenshteinDistance(worst).apply(wanted, form);
            if (distance < 0) {
                continue;
            }
            final Ranked ranked = new Ranked(candidate, distance);
            int at = kept.size();
            while (at > 0 && RANKING.compare(ranked, kept.get(at - 1)) < 0) {
                at--;
            }
            if (at < max) {
                kept.add(at, ranked);
                if (kept.size() > max) {
                    kept.remove(max);
                }
            }
        }
        return kept.stream().map(Ranked::name).toList();
    }

    private record Ranked(String name, int distance) {
    }

    private static final Comparator<Ranked> RANKING = Comparator.comparingInt(Ranked::distance)
            .thenComparing(Ranked::name);

    /**
     * The part of a name that suggestions compare: its normalised form, cut to {@link #COMPARED_LENGTH}
     * characters. Names are far shorter than that; the cut keeps the cost of a suggestion fixed however
     * long the text a row holds.
     */
    static String compared(final String name) {
        final String normalised = AreaNames.normalise(bounded(name));
        return normalised.length() <= COMPARED_LENGTH ? normalised : normalised.substring(0, COMPARED_LENGTH);
    }

    /** The start of {@code text} that a name can be read from: longer text is no name of any geography. */
    private static String bounded(final String text) {
        return text.length() <= MAX_NAME_LENGTH ? text : text.substring(0, MAX_NAME_LENGTH);
    }

    private void readWards(final Reader reader, final String source, final LocalDate from, final LocalDate to) {
        try (CSVParser parser = CSV.parse(reader)) {
            final String wardCode = column(parser, WARD_CODE, source);
            final String wardName = column(parser, WARD_NAME, source);
            final String districtCode = column(parser, DISTRICT_CODE, source);
            final String districtName = column(parser, DISTRICT_NAME, source);
            for (final CSVRecord row : parser) {
                final District district = addDistrict(row.get(districtCode), row.get(districtName));
                addWard(new Ward(row.get(wardCode).toUpperCase(Locale.ROOT), row.get(wardName), district, from, to));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the ward lookup " + source, e);
        }
    }

    /** A ward whose code is in two boundary sets was unchanged between them: it is one ward, in force throughout. */
    private void addWard(final Ward ward) {
        final Ward earlier = wardsByCode.get(ward.code());
        Ward added = ward;
        if (earlier != null) {
            wardsByName.getOrDefault(AreaNames.normalise(earlier.name()), new ArrayList<>()).remove(earlier);
            added = new Ward(ward.code(), ward.name(), ward.district(),
                    earlier.validFrom().isBefore(ward.validFrom()) ? earlier.validFrom() : ward.validFrom(),
                    earlier.validTo().isAfter(ward.validTo()) ? earlier.validTo() : ward.validTo());
        }
        wardsByCode.put(added.code(), added);
        wardsByName.computeIfAbsent(AreaNames.normalise(added.name()), key -> new ArrayList<>()).add(added);
    }

    private District addDistrict(final String code, final String name) {
        final District district = districtsByCode.computeIfAbsent(code.toUpperCase(Locale.ROOT),
                key -> new District(key, name));
        districtsByName.putIfAbsent(AreaNames.normalise(name), district);
        return district;
    }

    private void readLsoas(final Reader reader, final String source) {
        try (CSVParser parser = CSV.parse(reader)) {
            final String lsoaCode = column(parser, LSOA_CODE, source);
            final List<String> wardColumns = parser.getHeaderNames().stream()
                    .filter(header -> WARD_CODE.matcher(header).matches()).toList();
            if (wardColumns.isEmpty()) {
                throw new IllegalArgumentException(source + ": no ward code column (WDyyCD) in the LSOA lookup");
            }
            for (final CSVRecord row : parser) {
                final List<String> codes = wardColumns.stream().map(row::get).filter(Predicate.not(String::isBlank))
                        .map(code -> code.toUpperCase(Locale.ROOT)).toList();
                wardCodesByLsoa.put(row.get(lsoaCode).toUpperCase(Locale.ROOT), codes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the LSOA lookup " + source, e);
        }
    }

    private void readAliases(final Reader reader, final String source) {
        try (CSVParser parser = CSV.parse(reader)) {
            for (final CSVRecord row : parser) {
                final District district = districtsByCode.get(row.get(1).toUpperCase(Locale.ROOT));
                if (district == null) {
                    throw new IllegalArgumentException(source + ", line " + parser.getCurrentLineNumber()
                            + ": the alias '" + row.get(0) + "' names district " + row.get(1)
                            + ", which is not in the ward lookup; known districts: " + districtsByCode.keySet());
                }
                districtsByName.putIfAbsent(AreaNames.normalise(row.get(0)), district);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the district aliases " + source, e);
        }
    }

    private static String column(final CSVParser parser, final Pattern pattern, final String source) {
        return parser.getHeaderNames().stream().filter(header -> pattern.matcher(header).matches()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(source + ": no column matching " + pattern.pattern()
                        .replace("(?i)", "").replace("\\d\\d", "yy") + " in the header " + parser.getHeaderNames()
                        + "; expected the ONS lookup shape, e.g. WD21CD,WD21NM,LAD21CD,LAD21NM"));
    }

    private static Reader resource(final String name) {
        final InputStream in = Geography.class.getResourceAsStream("/geography/" + name);
        if (in == null) {
            throw new IllegalStateException("The default geography's " + name + " is missing from the class path");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    private static Reader open(final Path file) {
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the geography file " + file, e);
        }
    }
}
