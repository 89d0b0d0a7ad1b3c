package org.csphub.producers.validation;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the dates partners send: ISO-8601 ({@code 2020-09-30}, {@code 2020-09-30T22:15[:00]}, with an
 * optional offset) and the UK spreadsheet form {@code dd/MM/yyyy [HH:mm[:ss]]}. Local times are
 * Europe/London; a date alone means midnight at its start.
 */
public final class PartnerDates {

    public static final ZoneId LONDON = ZoneId.of("Europe/London");
    /** The forms accepted, as a data officer would read them. */
    public static final String ACCEPTED_FORMS = "yyyy-MM-dd, yyyy-MM-ddTHH:mm[:ss] or dd/MM/yyyy [HH:mm[:ss]]";

    private static final DateTimeFormatter UK = new DateTimeFormatterBuilder()
            .appendPattern("d/M/uuuu")
            .optionalStart().appendLiteral(' ').appendPattern("H:mm").optionalStart().appendPattern(":ss")
            .optionalEnd().optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter ISO_LOCAL = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ')
            .optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME).optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);
    private static final List<DateTimeFormatter> LOCAL_FORMS = List.of(ISO_LOCAL, UK);
    private static final ZoneRules LONDON_RULES = LONDON.getRules();
    /** Longer than any accepted form (with nanoseconds and an offset, 35 characters): longer text is no date. */
    private static final int LONGEST_FORM = 64;
    /** The offset of each day seen on which the clocks did not change: then it holds for every time of the day. */
    private static final Map<LocalDate, ZoneOffset> STEADY_DAYS = new ConcurrentHashMap<>();
    private static final int STEADY_DAYS_KEPT = 50_000;

    /** A moment a partner gave: the local date it fell on in London, and the instant. */
    public record PartnerTime(LocalDate localDate, Instant instant) {
    }

    private PartnerDates() {
    }

    /**
     * {@code yyyy-MM-dd[(T| )HH:mm[:ss]]} read by hand: the usual form, and the formatters' optional
     * sections cost more than the rest of a row's checks together. Null when the text is not in that shape
     * or names no real date, leaving the decision to the formatters.
     */
    private static LocalDateTime plainIso(final String value) {
        final int length = value.length();
        if ((length != 10 && length != 16 && length != 19) || !digits(value, 0, 4) || value.charAt(4) != '-'
                || !digits(value, 5, 7) || value.charAt(7) != '-' || !digits(value, 8, 10)) {
            return null;
        }
        int hour = 0;
        int minute = 0;
        int second = 0;
        if (length > 10) {
            final char separator = value.charAt(10);
            if ((separator != 'T' && separator != ' ') || !digits(value, 11, 13) || value.charAt(13) != ':'
                    || !digits(value, 14, 16)) {
                return null;
            }
            hour = number(value, 11, 13);
            minute = number(value, 14, 16);
            if (length == 19) {
                if (value.charAt(16) != ':' || !digits(value, 17, 19)) {
                    return null;
                }
                second = number(value, 17, 19);
            }
        }
        try {
            return LocalDateTime.of(number(value, 0, 4), number(value, 5, 7), number(value, 8, 10), hour, minute,
                    second);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(final String value, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(final String value, final int from, final int to) {
        return Integer.parseInt(value, from, to, 10);
    }

    /**
     * The instant of a London local time, as {@code local.atZone(LONDON).toInstant()}: a time in a gap
     * moves forward, a time in an overlap takes the earlier offset. Most days have no change of the
     * clocks, and for those the day's one offset is kept rather than looked up in the zone's rules for
     * every row.
     */
    static Instant inLondon(final LocalDateTime local) {
        final LocalDate day = local.toLocalDate();
        ZoneOffset offset = STEADY_DAYS.get(day);
        if (offset == null) {
            offset = steadyOffset(day);
            if (offset == null) {
                return local.atZone(LONDON).toInstant();
            }
            if (STEADY_DAYS.size() >= STEADY_DAYS_KEPT) {
                STEADY_DAYS.clear();
            }
            STEADY_DAYS.put(day, offset);
        }
        return local.toInstant(offset);
    }

    /** The offset in force all through {@code day} in London, or null when the clocks change during it. */
    private static ZoneOffset steadyOffset(final LocalDate day) {
        final List<ZoneOffset> atStart = LONDON_RULES.getValidOffsets(day.atStartOfDay());
        if (atStart.size() != 1 || day.equals(LocalDate.MAX)) {
            return null;
        }
        final ZoneOffset offset = atStart.get(0);
        final Instant start = day.atStartOfDay().toInstant(offset);
        final Instant end = day.plusDays(1).atStartOfDay().toInstant(offset);
        if (!LONDON_RULES.getOffset(start).equals(offset)) {
            return null;
        }
        final ZoneOffsetTransition next = LONDON_RULES.nextTransition(start);
        return next == null || !next.getInstant().isBefore(end) ? offset : null;
    }

    /** The moment {@code text} names, or empty when it is in none of the accepted forms. */
    public static Optional<PartnerTime> parse(final String text) {
        final String value = text.trim();
        if (value.length() > LONGEST_FORM) {
            return Optional.empty();
        }
        final LocalDateTime plain = plainIso(value);
        if (plain != null) {
            return Optional.of(new PartnerTime(plain.toLocalDate(), inLondon(plain)));
        }
        for (final DateTimeFormatter form : LOCAL_FORMS) {
            try {
                final LocalDateTime local = LocalDateTime.parse(value, form);
                final Instant instant = inLondon(local);
                return Optional.of(new PartnerTime(local.toLocalDate(), instant));
            } catch (DateTimeException e) {
                // try the next form
            }
        }
        try {
            final OffsetDateTime offset = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            final Instant instant = offset.toInstant();
            return Optional.of(new PartnerTime(instant.atZone(LONDON).toLocalDate(), instant));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
