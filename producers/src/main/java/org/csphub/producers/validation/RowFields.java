package org.csphub.producers.validation;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.csphub.producers.validation.PartnerDates.PartnerTime;

/**
 * The values of one row by column name, read into typed values. A value that cannot be read adds a
 * reason to the row's {@link Problems} and comes back empty, so that every field is still checked.
 */
public final class RowFields {

    private static final List<String> YES = List.of("yes", "y", "true", "1");
    private static final Pattern WHOLE = Pattern.compile("[-+]?\\d{1,9}(\\.0*)?");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s-]+");
    private static final List<String> NO = List.of("no", "n", "false", "0");
    /** Each enumeration's constants by name, so that a row's choice is one look-up. */
    private static final ClassValue<Map<String, Enum<?>>> CONSTANTS = new ClassValue<>() {
        @Override
        protected Map<String, Enum<?>> computeValue(final Class<?> type) {
            final Map<String, Enum<?>> byName = new HashMap<>();
            for (final Object constant : type.getEnumConstants()) {
                byName.put(((Enum<?>) constant).name(), (Enum<?>) constant);
            }
            return Map.copyOf(byName);
        }
    };

    private final HeaderLayout layout;
    private final List<String> values;
    private final Problems problems;
    private final Clock clock;

    private final SuggestionBudget suggestions;

    /** The fields of a row checked on its own, with the suggestions of {@link SuggestionBudget#perExport()}. */
    public RowFields(final HeaderLayout layout, final List<String> values, final Problems problems, final Clock clock) {
        this(layout, values, problems, clock, SuggestionBudget.perExport());
    }

    /** The fields of a row of an export whose rows share {@code suggestions}. */
    public RowFields(final HeaderLayout layout, final List<String> values, final Problems problems, final Clock clock,
            final SuggestionBudget suggestions) {
        this.layout = layout;
        this.values = values;
        this.problems = problems;
        this.clock = clock;
        this.suggestions = suggestions;
    }

    /** How many more unknown names of this row's export may have the nearest known names looked up. */
    public SuggestionBudget suggestions() {
        return suggestions;
    }

    public Problems problems() {
        return problems;
    }

    public Clock clock() {
        return clock;
    }

    /** Whether the file has this column at all. */
    public boolean hasColumn(final String column) {
        return layout.position(column).isPresent();
    }

    /** The trimmed value, empty when the column is absent or the cell blank. */
    public Optional<String> value(final String column) {
        return Optional.ofNullable(valueOf(layout, values, column));
    }

    /** The trimmed value of {@code column} in a row of {@code values}, null when the column is absent or the cell blank. */
    public static String valueOf(final HeaderLayout layout, final List<String> values, final String column) {
        final Integer index = layout.positions().get(column);
        if (index == null || index >= values.size()) {
            return null;
        }
        final String value = values.get(index).trim();
        return value.isEmpty() ? null : value;
    }

    /** The 1-based column number, for messages. */
    public int columnNumber(final String column) {
        return layout.position(column).map(index -> index + 1).orElse(0);
    }

    public void reject(final String column, final RejectionCode code, final String message) {
        if (code == RejectionCode.MISSING_VALUE && problems.concerns(column)) {
            // a value refused unread (over its limit) is not missing as well
            return;
        }
        problems.add(column, columnNumber(column), code, message);
    }

    /** The value, or a {@link RejectionCode#MISSING_VALUE} reason. */
    public Optional<String> required(final String column) {
        final Optional<String> value = value(column);
        if (value.isEmpty()) {
            reject(column, RejectionCode.MISSING_VALUE, "a value is required");
        }
        return value;
    }

    /** A required moment, not after now. */
    public Optional<PartnerTime> moment(final String column) {
        return required(column).flatMap(text -> {
            final Optional<PartnerTime> time = PartnerDates.parse(text);
            if (time.isEmpty()) {
                reject(column, RejectionCode.BAD_DATE, "'" + text + "' is not a date; use " + PartnerDates.ACCEPTED_FORMS);
                return Optional.empty();
            }
            if (time.get().instant().isAfter(clock.instant())) {
                reject(column, RejectionCode.FUTURE_DATE, "'" + text + "' is in the future");
                return Optional.empty();
            }
            return time;
        });
    }

    /** A required date (a date-time is read as its date in London), not after today. */
    public Optional<LocalDate> date(final String column) {
        return required(column).flatMap(text -> {
            final Optional<PartnerTime> time = PartnerDates.parse(text);
            if (time.isEmpty()) {
                reject(column, RejectionCode.BAD_DATE, "'" + text + "' is not a date; use " + PartnerDates.ACCEPTED_FORMS);
                return Optional.empty();
            }
            final LocalDate date = time.get().localDate();
            if (date.isAfter(LocalDate.ofInstant(clock.instant(), PartnerDates.LONDON))) {
                reject(column, RejectionCode.FUTURE_DATE, "'" + text + "' is in the future");
                return Optional.empty();
            }
            return Optional.of(date);
        });
    }

    /** One of an enumeration's constants, matched without regard to case, spaces or hyphens. */
    public <E extends Enum<E>> Optional<E> choice(final String column, final Class<E> type, final boolean mandatory) {
        final Optional<String> text = mandatory ? required(column) : value(column);
        return text.flatMap(value -> {
            final Optional<E> found = Optional.ofNullable(type.cast(CONSTANTS.get(type).get(symbolOf(value))));
            if (found.isEmpty()) {
                rejectChoice(column, value, Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
            }
            return found;
        });
    }

    /**
     * One of {@code values} (Avro enum symbols), matched as {@link #choice(String, Class, boolean)}
     * matches an enumeration's constants; the symbol itself.
     */
    public Optional<String> choice(final String column, final List<String> values, final boolean mandatory) {
        final Optional<String> text = mandatory ? required(column) : value(column);
        return text.flatMap(value -> {
            final String wanted = symbolOf(value);
            if (values.contains(wanted)) {
                return Optional.of(wanted);
            }
            rejectChoice(column, value, values);
            return Optional.empty();
        });
    }

    /** A value as the symbol it names: upper case, with runs of spaces and hyphens as one underscore. */
    private static String symbolOf(final String value) {
        final String upper = value.toUpperCase(Locale.ROOT);
        return upper.indexOf(' ') < 0 && upper.indexOf('-') < 0 && upper.indexOf('\t') < 0 ? upper
                : SEPARATORS.matcher(upper).replaceAll("_");
    }

    private void rejectChoice(final String column, final String value, final List<String> values) {
        reject(column, RejectionCode.NOT_IN_ENUM, "'" + value + "' is not one of " + String.join(", ", values));
    }

    /** A whole number within {@code min..max}; empty when blank (the caller decides whether blank is allowed). */
    public Optional<Integer> whole(final String column, final int min, final int max) {
        return value(column).flatMap(text -> {
            // spreadsheets write whole numbers as 34 or 34.0; anything longer is out of every range anyway
            if (!WHOLE.matcher(text).matches()) {
                reject(column, RejectionCode.BAD_NUMBER, "'" + text + "' is not a whole number");
                return Optional.empty();
            }
            final int number = Integer.parseInt(text.substring(0, text.indexOf('.') < 0 ? text.length()
                    : text.indexOf('.')));
            if (number < min || number > max) {
                reject(column, RejectionCode.OUT_OF_RANGE, number + " is outside " + min + " to " + max);
                return Optional.empty();
            }
            return Optional.of(number);
        });
    }

    /** A required yes/no value ({@code yes}, {@code no}, {@code y}, {@code n}, {@code true}, {@code false}, 1, 0). */
    public Optional<Boolean> yesNo(final String column) {
        return required(column).flatMap(text -> {
            final String lower = text.toLowerCase(Locale.ROOT);
            if (YES.contains(lower)) {
                return Optional.of(true);
            }
            if (NO.contains(lower)) {
                return Optional.of(false);
            }
            reject(column, RejectionCode.BAD_BOOLEAN, "'" + text + "' is not yes or no");
            return Optional.empty();
        });
    }
}
