package org.csphub.producers.validation;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.csphub.geography.Area;
import org.csphub.geography.District;
import org.csphub.geography.Geography;
import org.csphub.geography.Ward;

/**
 * Turns the area columns of a row into an {@link Area}: a ward by ONS code or name on the row's date,
 * an LSOA through the reference lookup, or a district by code, name or alias. A failure adds a reason
 * naming the nearest valid names.
 */
public final class AreaResolver {

    public static final String WARD = "ward";
    public static final String LSOA = "lsoa";
    public static final String DISTRICT = "district";

    private static final int SUGGESTIONS = 3;

    /** Partners repeat a few dozen wrong names across thousands of rows; comparing names is the costly part. */
    private static final int CACHE_LIMIT = 50_000;
    /**
     * Text longer than any area's name is looked up without being kept: its look-up is cheap (the
     * geography refuses it unread), and a cache of such text would hold megabytes per entry.
     */
    private static final int CACHED_LENGTH = 1_000;

    private final Geography geography;
    private final Map<String, Optional<District>> districtsByText = new ConcurrentHashMap<>();
    /** The suggestions for a name that matched nothing: finding them compares the name with every ward's. */
    private final Map<String, Map<LocalDate, List<String>>> nearestWardsByNameAndDate = new ConcurrentHashMap<>();
    private final AtomicInteger nearestWardsCached = new AtomicInteger();
    private final Map<String, List<String>> nearestDistrictsByText = new ConcurrentHashMap<>();

    public AreaResolver(final Geography geography) {
        this.geography = geography;
    }

    /** The nearest ward names, or none when the export has used up its look-ups and they are not known yet. */
    private List<String> nearestWardNames(final RowFields row, final String name, final LocalDate on) {
        final Map<LocalDate, List<String>> byDate = nearestWardsByNameAndDate.get(name);
        final List<String> known = byDate == null ? null : byDate.get(on);
        if (known != null) {
            return known;
        }
        return row.suggestions().take() ? cached(nearestWardsByNameAndDate, nearestWardsCached, name, on,
                () -> geography.nearestWardNames(name, on, SUGGESTIONS)) : List.of();
    }

    /** The nearest district names, or none when the export has used up its look-ups and they are not known yet. */
    private List<String> nearestDistrictNames(final RowFields row, final String text) {
        final List<String> known = nearestDistrictsByText.get(text);
        if (known != null) {
            return known;
        }
        return row.suggestions().take()
                ? cached(nearestDistrictsByText, text, () -> geography.nearestDistrictNames(text, SUGGESTIONS))
                : List.of();
    }

    /** "; nearest: A, B, C", or why there is no suggestion. */
    private static String nearest(final RowFields row, final List<String> names) {
        return names.isEmpty() ? "; the nearest names were not looked up (the export has more than "
                + row.suggestions().limit() + " unknown names: is it the right column?)"
                : "; nearest: " + String.join(", ", names);
    }

    /** A look-up by name and date, kept by name then by date so that a row's look-up builds no key. */
    private static <T> T cached(final Map<String, Map<LocalDate, T>> cache, final AtomicInteger size,
            final String name, final LocalDate on, final Supplier<T> lookup) {
        if (name.length() > CACHED_LENGTH) {
            return lookup.get();
        }
        final Map<LocalDate, T> byDate = cache.get(name);
        final T known = byDate == null ? null : byDate.get(on);
        if (known != null) {
            return known;
        }
        if (size.get() >= CACHE_LIMIT) {
            cache.clear();
            size.set(0);
        }
        final T found = lookup.get();
        if (cache.computeIfAbsent(name, key -> new ConcurrentHashMap<>()).put(on, found) == null) {
            size.incrementAndGet();
        }
        return found;
    }

    private Optional<District> districtByText(final String text) {
        return cached(districtsByText, text, () -> geography.district(text));
    }

    private static <T> T cached(final Map<String, T> cache, final String key, final Supplier<T> lookup) {
        if (key.length() > CACHED_LENGTH) {
            return lookup.get();
        }
        final T known = cache.get(key);
        if (known != null) {
            return known;
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        final T found = lookup.get();
        cache.put(key, found);
        return found;
    }

    public Geography geography() {
        return geography;
    }

    /**
     * The area from a {@code ward} or an {@code lsoa} column (both may be given, and must agree), on
     * {@code date}; when the date is unknown, names are checked against today's wards.
     */
    public Optional<Area> wardOrLsoa(final RowFields row, final Optional<LocalDate> date) {
        final Optional<String> wardText = row.value(WARD);
        final Optional<String> lsoaText = row.value(LSOA);
        if (wardText.isEmpty() && lsoaText.isEmpty()) {
            row.reject(row.hasColumn(WARD) ? WARD : LSOA, RejectionCode.MISSING_VALUE, "give a ward or an LSOA");
            return Optional.empty();
        }
        final LocalDate on = date.orElseGet(() -> LocalDate.now(row.clock().withZone(PartnerDates.LONDON)));
        final Optional<Ward> byWard = wardText.flatMap(text -> ward(row, text, on, date.isPresent()));
        final Optional<Ward> byLsoa = lsoaText.flatMap(text -> lsoa(row, text, on, date.isPresent()));
        if (byWard.isPresent() && byLsoa.isPresent() && !byWard.get().equals(byLsoa.get())) {
            row.reject(LSOA, RejectionCode.AREA_MISMATCH, "LSOA " + lsoaText.get() + " lies in "
                    + byLsoa.get().name() + ", not in the ward given (" + byWard.get().name() + ")");
            return Optional.empty();
        }
        if (date.isEmpty() || (wardText.isPresent() && byWard.isEmpty()) || (lsoaText.isPresent() && byLsoa.isEmpty())) {
            return Optional.empty();
        }
        final Ward ward = byWard.or(() -> byLsoa).orElseThrow();
        return Optional.of(area(ward, lsoaText.map(String::toUpperCase).orElse(null)));
    }

    /** The area from a {@code ward} or a {@code district} column (a ward gives its district). */
    public Optional<Area> wardOrDistrict(final RowFields row, final Optional<LocalDate> date) {
        final Optional<String> wardText = row.value(WARD);
        if (wardText.isPresent()) {
            final LocalDate on = date.orElseGet(() -> LocalDate.now(row.clock().withZone(PartnerDates.LONDON)));
            final Optional<Ward> ward = ward(row, wardText.get(), on, date.isPresent());
            final Optional<District> district = row.value(DISTRICT).flatMap(text -> district(row, text));
            if (ward.isPresent() && district.isPresent() && !ward.get().district().equals(district.get())) {
                row.reject(DISTRICT, RejectionCode.AREA_MISMATCH, "ward " + ward.get().name() + " lies in "
                        + ward.get().district().name() + ", not in " + district.get().name());
                return Optional.empty();
            }
            return date.isPresent() ? ward.map(found -> area(found, null)) : Optional.empty();
        }
        if (row.value(DISTRICT).isEmpty()) {
            row.reject(row.hasColumn(WARD) ? WARD : DISTRICT, RejectionCode.MISSING_VALUE, "give a ward or a district");
            return Optional.empty();
        }
        return district(row);
    }

    /** The area from a required {@code district} column. */
    public Optional<Area> district(final RowFields row) {
        return row.required(DISTRICT).flatMap(text -> district(row, text)).map(AreaResolver::area);
    }

    private Optional<District> district(final RowFields row, final String text) {
        final Optional<District> district = districtByText(text);
        if (district.isEmpty()) {
            row.reject(DISTRICT, RejectionCode.UNKNOWN_DISTRICT, "'" + text + "' is not a district of "
                    + geography.cspName() + nearest(row, nearestDistrictNames(row, text))
                    + " (an ONS code, a name or an alias such as South Cambs or Hunts)");
        }
        return district;
    }

    private Optional<Ward> ward(final RowFields row, final String text, final LocalDate on, final boolean dated) {
        if (isWardCode(text)) {
            final Optional<Ward> byCode = geography.wardByCode(text);
            if (byCode.isEmpty()) {
                row.reject(WARD, RejectionCode.UNKNOWN_WARD, "'" + text + "' is not a ward code of "
                        + geography.cspName());
                return Optional.empty();
            }
            if (dated && !byCode.get().inForceOn(on)) {
                final Ward ward = byCode.get();
                final String current = geography.wardByName(ward.name(), on).map(Ward::code)
                        .map(code -> "; on " + on + " " + ward.name() + " is " + code).orElse("");
                row.reject(WARD, RejectionCode.WARD_NOT_IN_FORCE, "ward code " + ward.code() + " (" + ward.name()
                        + ") was not in force on " + on + current);
                return Optional.empty();
            }
            return byCode;
        }
        // looked up each time: reading the name in one pass and one hash look-up cost less than keeping the
        // answer would, above all in an export whose names are all different
        final Optional<Ward> byName = geography.wardByName(text, on);
        if (byName.isEmpty()) {
            row.reject(WARD, RejectionCode.UNKNOWN_WARD, "'" + text + "' is not a ward in force on " + on
                    + nearest(row, nearestWardNames(row, text, on)));
        }
        return byName;
    }

    /** Whether {@code text} is shaped like a ward's ONS code: {@code E05} (any case) and six digits. */
    static boolean isWardCode(final String text) {
        if (text.length() != 9 || (text.charAt(0) != 'E' && text.charAt(0) != 'e') || text.charAt(1) != '0'
                || text.charAt(2) != '5') {
            return false;
        }
        for (int i = 3; i < 9; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private Optional<Ward> lsoa(final RowFields row, final String text, final LocalDate on, final boolean dated) {
        if (!geography.knowsLsoa(text)) {
            row.reject(LSOA, RejectionCode.UNKNOWN_LSOA, "'" + text + "' is not an LSOA code of the reference lookup");
            return Optional.empty();
        }
        final Optional<Ward> ward = geography.wardByLsoa(text, on);
        if (ward.isEmpty() && dated) {
            row.reject(LSOA, RejectionCode.UNKNOWN_LSOA, "the reference lookup maps LSOA " + text
                    + " to no ward in force on " + on + "; give the ward instead");
        }
        return ward;
    }

    private static Area area(final Ward ward, final String lsoa) {
        return new Area(ward.code(), ward.name(), ward.district().code(), ward.district().name(), lsoa);
    }

    private static Area area(final District district) {
        return new Area(null, null, district.code(), district.name(), null);
    }
}
