package org.csphub.producers.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contract's {@link FieldLimits} laid over one file's columns. A value over its limit is refused
 * with its length and the limit, and is not read further: checking it costs the same whatever its
 * length, and the rest of the row is still checked.
 */
public final class RowLimits {

    private final String[] names;
    private final int[] limits;
    private final int unnamedLimit;
    private final int rowLimit;

    private RowLimits(final String[] names, final int[] limits, final int unnamedLimit, final int rowLimit) {
        this.names = names;
        this.limits = limits;
        this.unnamedLimit = unnamedLimit;
        this.rowLimit = rowLimit;
    }

    public static RowLimits of(final ExportContract contract, final HeaderLayout layout) {
        final String[] names = new String[layout.width()];
        final int[] limits = new int[layout.width()];
        Arrays.fill(limits, contract.limits().value());
        for (final Map.Entry<String, Integer> column : layout.positions().entrySet()) {
            names[column.getValue()] = column.getKey();
            limits[column.getValue()] = contract.limitOf(column.getKey());
        }
        return new RowLimits(names, limits, contract.limits().value(), contract.limits().row());
    }

    /** The limit of the value at {@code index} (0-based). */
    public int limitAt(final int index) {
        return index < limits.length ? limits[index] : unnamedLimit;
    }

    /**
     * {@code values}, with every value over its limit refused on {@code problems} and blanked, so that
     * nothing reads it; the row as a whole is refused when its values within their limits are together
     * over the row's limit (a row of many columns).
     */
    public List<String> check(final List<String> values, final Problems problems) {
        long total = 0;
        List<String> checked = values;
        for (int index = 0; index < values.size(); index++) {
            final int length = values.get(index).length();
            if (length <= limitAt(index)) {
                total += length;
            } else {
                final String column = index < names.length && names[index] != null ? names[index] : "";
                problems.add(column, index + 1, RejectionCode.VALUE_TOO_LONG, (column.isEmpty() ? "the value"
                        : column) + " is " + characters(length) + "; the limit is " + characters(limitAt(index)));
                if (checked == values) {
                    checked = new ArrayList<>(values);
                }
                checked.set(index, "");
            }
        }
        if (total > rowLimit) {
            problems.add(RejectionCode.ROW_TOO_LONG, "the row's values are " + characters(total)
                    + " in all; the limit is " + characters(rowLimit));
        }
        return checked;
    }

    private static String characters(final long count) {
        return String.format(Locale.UK, "%,d character%s", count, count == 1 ? "" : "s");
    }
}
