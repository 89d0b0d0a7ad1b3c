package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Valid exports mutated at random (bytes, quotes, separators, encodings, truncation): the intake must
 * never throw out of its loop, never hang, and account for every row it read. The seed is fixed, so a
 * failure reproduces.
 */
class IntakeFuzzTest {

    private static final int CASES = 3000;
    private static final Map<Feed, String> VALID = Map.of(
            FeedCatalog.shipped().feed("police-asb"), "incident_id,reported_at,category,ward,lsoa\n"
                    + "A1,2020-07-01T22:15:00,NUISANCE,Market,\nA2,01/03/2020 10:00,PERSONAL,,E01017943\n"
                    + "\"A3\",2020-07-02,ENVIRONMENTAL,\"King's Hedges\",\n",
            FeedCatalog.shipped().feed("ambulance-callouts"), "callout_id,called_at,ward,lsoa,sex,age\n"
                    + "C1,2020-01-04T01:30,Market,,M,34\nC2,2020-01-05,Arbury,,F,\nC3,2020-01-06,,E01017943,U,90\n",
            FeedCatalog.shipped().feed("idva-referrals"), "referral_id,referred_on,district,strand,dash_score,risk_level,engaged,client_ref,"
                    + "male,disability,lgbt\nR1,15/05/2019,South Cambs,DISTRICT,14,,yes,CL1,no,yes,no\n"
                    + "R2,2019-05-16,Pboro,A8,,HIGH,no,CL2,yes,no,no\n",
            FeedCatalog.shipped().feed("fire-incidents"), "incident_id,occurred_at,incident_type,cause,ward,district\n"
                    + "F1,2020-02-01 10:00,SECONDARY_FIRE,DELIBERATE,,Hunts\nF2,2020-02-02,PRIMARY_FIRE,ACCIDENTAL,Arbury,\n");
    private static final List<Charset> CHARSETS = List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE,
            StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16BE);
    private static final String NOISE = "\",;\t\n\r'\u00e9\u2019\uFEFF\u0000 ";

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldAccountForEveryRowOfThousandsOfMutatedFilesWithoutThrowing() {
        final Random random = new Random(20210901L);
        final IntakeHarness harness = new IntakeHarness();
        final List<Feed> feeds = FeedCatalog.shipped().feeds().stream().filter(VALID::containsKey).toList();
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            final Feed feed = feeds.get(random.nextInt(feeds.size()));
            final byte[] file = mutate(VALID.get(feed), random);
            final int before = harness.producer.history().size();

            final IntakeSummary summary = harness.bytes(feed, file, i % 50 == 0 ? ExportFormat.XLSX : ExportFormat.CSV);

            assertThat(summary.accepted() + summary.rejected()).as("case %d", i).isEqualTo(summary.rowsRead());
            assertThat(harness.producer.history().size() - before).as("case %d", i)
                    .isEqualTo((int) summary.rowsRead());
            refused += summary.refused() ? 1 : 0;
        }
        // the mutations must leave most files readable, or the loop itself was hardly exercised
        assertThat(refused).isLessThan(CASES / 2);
    }

    private static byte[] mutate(final String valid, final Random random) {
        final StringBuilder text = new StringBuilder(valid);
        final int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && text.length() > 0; e++) {
            // most damage falls after the header: a damaged header refuses the whole file, which is soon tested
            final int headerEnd = valid.indexOf('\n') + 1;
            final int at = random.nextInt(5) == 0 || text.length() <= headerEnd ? random.nextInt(text.length())
                    : headerEnd + random.nextInt(text.length() - headerEnd);
            switch (random.nextInt(6)) {
                case 0 -> text.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 1 -> text.deleteCharAt(at);
                case 2 -> text.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 3 -> replaceAll(text, ",", ";");
                case 4 -> text.insert(at, "\"\"\"");
                default -> text.setLength(Math.max(1, at));
            }
        }
        final byte[] encoded = text.toString().getBytes(CHARSETS.get(random.nextInt(CHARSETS.size())));
        if (random.nextInt(4) > 0) {
            return encoded;
        }
        // byte-level damage: flipped bits and a cut at any byte, even inside a character
        final ByteArrayOutputStream damaged = new ByteArrayOutputStream();
        final int cut = random.nextInt(encoded.length + 1);
        for (int b = 0; b < cut; b++) {
            damaged.write(random.nextInt(40) == 0 ? encoded[b] ^ (1 << random.nextInt(8)) : encoded[b]);
        }
        return damaged.toByteArray();
    }

    private static void replaceAll(final StringBuilder text, final String from, final String to) {
        final String replaced = text.toString().replace(from, to);
        text.setLength(0);
        text.append(replaced);
    }
}
