package org.csphub.geography;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How area names are compared: without regard to case, accents, apostrophes, punctuation or
 * "&amp;"/"and", and with "Cambs" read as "Cambridgeshire", so that {@code Kings Hedges},
 * {@code King's Hedges} and {@code KINGS HEDGES} are one ward.
 */
public final class AreaNames {

    private AreaNames() {
    }

    public static String normalise(final String name) {
        String text = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        text = text.toLowerCase(Locale.ROOT)
                .replaceAll("['\u2019\u2018`]", "")
                .replace("&", " and ")
                .replaceAll("[^a-z0-9]+", " ")
                .trim()
                .replaceAll(" +", " ");
        text = text.replaceAll("\\bcambs\\b", "cambridgeshire");
        if (text.endsWith(" ward")) {
            text = text.substring(0, text.length() - " ward".length());
        }
        return text;
    }
}
