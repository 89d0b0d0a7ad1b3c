package org.csphub.geography;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AreaNamesTest {

    @Test
    void shouldReadTheSpellingsOfOneWardAsOneName() {
        assertThat(AreaNames.normalise("King's Hedges")).isEqualTo("kings hedges");
        assertThat(AreaNames.normalise("KINGS  HEDGES")).isEqualTo("kings hedges");
        assertThat(AreaNames.normalise(" Kings\u2019 Hedges Ward ")).isEqualTo("kings hedges");
        assertThat(AreaNames.normalise("Queen Edith\u2019s")).isEqualTo("queen ediths");
        assertThat(AreaNames.normalise("Sawston & Shelford")).isEqualTo("sawston and shelford");
        assertThat(AreaNames.normalise("East Cambs")).isEqualTo("east cambridgeshire");
        assertThat(AreaNames.normalise("Cambsville")).isEqualTo("cambsville");
        assertThat(AreaNames.normalise("Ch\u00e2teau-Gu\u00e9rin")).isEqualTo("chateau guerin");
        assertThat(AreaNames.normalise("&")).isEqualTo("and");
        assertThat(AreaNames.normalise("-- ,")).isEmpty();
    }

    /** The one-pass reading gives what the rules, written as regular expressions one after another, give. */
    @Test
    void shouldGiveWhatTheRulesGiveOneByOne() {
        final Random random = new Random(11);
        final String alphabet = "aZk09 '`\u2018\u2019&-.,/_\t\u00e9\u00c5\u0130\u212a\u00df\u00a0\u0301\u4e2d";
        for (int n = 0; n < 20_000; n++) {
            final StringBuilder name = new StringBuilder();
            final int length = random.nextInt(16);
            for (int i = 0; i < length; i++) {
                name.append(random.nextInt(8) == 0 ? (random.nextBoolean() ? " ward" : "cambs ")
                        : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            assertThat(AreaNames.normalise(name.toString())).as("'%s'", name).isEqualTo(byRules(name.toString()));
        }
    }

    private static String byRules(final String name) {
        String text = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        text = text.toLowerCase(Locale.ROOT).replaceAll("['\u2019\u2018`]", "").replace("&", " and ");
        text = text.replaceAll("[^a-z0-9]+", " ").trim().replaceAll(" +", " ");
        text = text.replaceAll("\\bcambs\\b", "cambridgeshire");
        return text.endsWith(" ward") ? text.substring(0, text.length() - " ward".length()) : text;
    }
}
