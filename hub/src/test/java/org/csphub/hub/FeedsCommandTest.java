package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.csphub.feeds.fire.FireIncident;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedsCommandTest {

    @TempDir
    Path folder;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hub(final String... args) {
        return HubCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private static String shipped(final String slug) throws IOException {
        try (InputStream in = FeedsCommandTest.class.getClassLoader().getResourceAsStream("feeds/" + slug + ".yaml")) {
            assertThat(in).as("the shipped contract of %s", slug).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path write(final String name, final String text) throws IOException {
        return Files.writeString(folder.resolve(name), text);
    }

    @Test
    void shouldListEveryShippedFeedWithItsOwnerAndTopics() {
        assertThat(hub("feeds", "list")).isZero();

        assertThat(out.toString())
                .contains("police-asb:", "ambulance-callouts:", "idva-referrals:", "fire-incidents:")
                .contains("csp.raw.police-asb", "csp.dlq.police-asb", "csp.metrics.asb")
                .contains("owner fire", "asb.incidents", "asb.ward_share");
    }

    @Test
    void shouldListTheFeedsOfTheFeedsFolderAfterTheShippedOnesAsThePartnershipsOwn() throws IOException {
        final Path feeds = Files.createDirectories(folder.resolve("feeds"));
        // the fire feed's contract under another slug and family, without its section of the report
        final String fire = shipped("fire-incidents");
        final Path contract = Files.writeString(feeds.resolve("fire-calls.yaml"), fire.substring(0,
                fire.indexOf("\nreport:") + 1)
                .replace("slug: fire-incidents", "slug: fire-calls").replace("name: fire\n", "name: firecalls\n")
                .replace("name: fire.", "name: firecalls.").replace("of: fire.", "of: firecalls.")
                .replace("numerator: fire.", "numerator: firecalls.")
                .replace("denominator: fire.", "denominator: firecalls."));

        assertThat(hub("feeds", "list", "--feeds-dir", feeds.toString())).as(err.toString()).isZero();

        final String listed = out.toString();
        assertThat(listed).contains("fire-calls:", "csp.raw.fire-calls", "csp.metrics.firecalls",
                "the partnership's own feed, from " + contract);
        assertThat(listed.indexOf("fire-calls:")).isGreaterThan(listed.indexOf("fire-incidents:"));
        assertThat(listed).doesNotContain("the partnership's own feed, from feeds/");
    }

    @Test
    void shouldRefuseToListWhenAContractOfTheFeedsFolderIsBad() throws IOException {
        final Path feeds = Files.createDirectories(folder.resolve("feeds"));
        final Path contract = Files.writeString(feeds.resolve("police-asb.yaml"), shipped("police-asb"));

        assertThat(hub("feeds", "list", "--feeds-dir", feeds.toString())).isOne();

        assertThat(err.toString()).contains(contract + ", line ")
                .contains("feed 'police-asb' is already declared by feeds/police-asb.yaml (shipped with the hub)");
    }

    @Test
    void shouldPrintTheSchemaTheIntakeRegisters() throws IOException {
        final Path file = write("fire-incidents.yaml", shipped("fire-incidents"));

        assertThat(hub("feeds", "schema", file.toString())).isZero();

        // the compiled record of the same feed, built from its .avsc, is the schema the hub registers today
        assertThat(new Schema.Parser().parse(out.toString())).isEqualTo(FireIncident.getClassSchema());
    }

    @Test
    void shouldAcceptAValidContract() throws IOException {
        final Path file = write("fire-incidents.yaml", shipped("fire-incidents"));

        assertThat(hub("feeds", "check", file.toString())).isZero();

        assertThat(out.toString()).contains(file + ": valid, feed fire-incidents");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldRefuseABadContractWithItsFileLineAndColumnAndGoOnToTheNextFile() throws IOException {
        final String text = shipped("fire-incidents").replace(
                "    values: [DELIBERATE, ACCIDENTAL, NOT_KNOWN]\n", "    values: []\n");
        assertThat(text).isNotEqualTo(shipped("fire-incidents"));
        final int line = lineOf(text, "    values: []");
        final Path bad = write("fire-incidents.yaml", text);
        Files.createDirectories(folder.resolve("good"));
        final Path good = write("good/police-asb.yaml", shipped("police-asb"));

        assertThat(hub("feeds", "check", bad.toString(), good.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith(bad + ", line " + line + ", column 13: ")
                .contains("enum").doesNotContain(good.toString());
        assertThat(out.toString()).contains(good + ": valid, feed police-asb");
    }

    @Test
    void shouldRefuseAShippedFeedsContractThatCouldNotReadItsRecords() throws IOException {
        final String text = shipped("fire-incidents").replace("  - name: area\n", """
                  - name: crew_count
                    type: integer
                    min: 1
                    max: 50
                    doc: How many crews attended.
                  - name: area
                """);
        final Path file = write("fire-incidents.yaml", text);

        assertThat(hub("feeds", "check", file.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith(file + ": FireIncident breaks the BACKWARD rule")
                .contains("crew_count").contains("shipped with the hub");
    }

    @Test
    void shouldRefuseAFileThatIsNotThere() {
        final Path missing = folder.resolve("graffiti-reports.yaml");

        assertThat(hub("feeds", "schema", missing.toString())).isNotZero();

        assertThat(err.toString()).contains(missing.toString());
    }

    private static int lineOf(final String text, final String line) {
        final String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(line)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line " + line);
    }
}
