package org.csphub.geography;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * How area names are compared: without regard to case, accents, apostrophes, punctuation or
 * "&amp;"/"and", and with "Cambs" read as "Cambridgeshire", so that {@code Kings Hedges},
 * {@code King's Hedges} and {@code KINGS HEDGES} are one ward.
 */
public final class AreaNames {

    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern CAMBS = Pattern.compile("\\bcambs\\b");
    private static final String WARD = " ward";

    private AreaNames() {
    }

    /**
     * The name as it is compared: lower case, accents and apostrophes dropped, "&amp;" read as "and",
     * every other run of characters that are not ASCII letters or digits one space, no space at either end,
     * "cambs" as "cambridgeshire", and a trailing "ward" dropped. One pass over the characters: a look-up
     * of a long unknown name costs in proportion to its length, and little.
     */
    public static String normalise(final String name) {
        final String letters = ascii(name) ? name
                : MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD)).replaceAll("");
        final StringBuilder text = new StringBuilder(letters.length());
        boolean gap = false;
        for (int i = 0; i < letters.length(); i++) {
            final char c = Character.toLowerCase(letters.charAt(i));
            if (c == '\'' || c == '\u2019' || c == '\u2018' || c == '`') {
                continue;
            }
            if (c == '&') {
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                text.append("and");
                gap = true;
            } else if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                if (gap && !text.isEmpty()) {
                    text.append(' ');
                }
                text.append(c);
                gap = false;
            } else {
                gap = true;
            }
        }
        String normal = text.toString();
        if (normal.contains("cambs")) {
            normal = CAMBS.matcher(normal).replaceAll("cambridgeshire");
        }
        return normal.endsWith(WARD) ? normal.substring(0, normal.length() - WARD.length()) : normal;
    }

    private static boolean ascii(final String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
