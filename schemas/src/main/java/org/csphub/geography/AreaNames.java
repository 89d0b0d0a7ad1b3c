package org.csphub.geography;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How area names are compared: without regard to case, accents, apostrophes, punctuation or
 * "&amp;"/"and", and with "Cambs" read as "Cambridgeshire", so that {@code Kings Hedges},
 * {@code King's Hedges} and {@code KINGS HEDGES} are one ward.
 */
public final class AreaNames {

    private static final Pattern MARKS = Pattern.compile("\\p{M}");
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2019\u2018`]");
    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern CAMBS = Pattern.compile("\\bcambs\\b");

    private AreaNames() {
    }

    public static String normalise(final String name) {
        String text = MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD)).replaceAll("");
        text = APOSTROPHES.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").replace("&", " and ");
        text = SPACES.matcher(NOT_ALPHANUMERIC.matcher(text).replaceAll(" ").trim()).replaceAll(" ");
        text = CAMBS.matcher(text).replaceAll("cambridgeshire");
        if (text.endsWith(" ward")) {
            text = text.substring(0, text.length() - " ward".length());
        }
        return text;
    }
}
