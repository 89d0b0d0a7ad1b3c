package org.csphub.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.csphub.contracts.Column.Presence;
import org.csphub.contracts.FamilySpec.Breakdown;
import org.csphub.contracts.FamilySpec.Count;
import org.csphub.contracts.FamilySpec.Filter;
import org.csphub.contracts.FamilySpec.Rate;
import org.csphub.disclosure.DisclosurePolicy;
import org.csphub.disclosure.FeedDisclosure;
import org.csphub.metrics.AreaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedContractReaderTest {

    private static final String FILE = "needle-finds.yaml";

    /** A valid contract (a council's needle finds); the tests below break one line of it at a time. */
    static String valid() {
        return String.join("\n",
                "slug: needle-finds",                                   // 1
                "title: Council needle finds",                          // 2
                "owner: council",                                       // 3
                "freshness: P8D",                                       // 4
                "record:",                                              // 5
                "  name: NeedleFind",                                   // 6
                "  namespace: org.csphub.feeds.needles",                // 7
                "  doc: One find of discarded needles.",                // 8
                "columns:",                                             // 9
                "  - name: find_id",                                    // 10
                "    type: id",                                         // 11
                "    doc: The council's own reference.",                // 12
                "  - name: found_on",                                   // 13
                "    type: date",                                       // 14
                "    doc: When the needles were found.",                // 15
                "  - name: place",                                      // 16
                "    type: enum",                                       // 17
                "    values: [PARK, STREET, OTHER]",                    // 18
                "    symbol: Place",                                    // 19
                "    symbol_doc: Where a find was.",                    // 20
                "    doc: Where the needles were found.",               // 21
                "  - name: needles",                                    // 22
                "    type: integer",                                    // 23
                "    min: 1",                                           // 24
                "    max: 1000",                                        // 25
                "    doc: How many needles.",                           // 26
                "  - name: cleared",                                    // 27
                "    type: yes/no",                                     // 28
                "    optional: yes",                                    // 29
                "    default: no",                                      // 30
                "    doc: Cleared the same day.",                       // 31
                "  - name: bags",                                       // 32
                "    type: integer",                                    // 33
                "    min: 0",                                           // 34
                "    max: 50",                                          // 35
                "    optional: yes",                                    // 36
                "    doc: Sharps bags used, when noted.",               // 37
                "  - name: area",                                       // 38
                "    type: area",                                       // 39
                "    given_as: [ward, lsoa]",                           // 40
                "    doc: The ward and its district.",                  // 41
                "family:",                                              // 42
                "  name: needles",                                      // 43
                "  period: found_on",                                   // 44
                "  levels: [ward, district, csp]",                      // 45
                "  breakdowns: [place]",                                // 46
                "  counts:",                                            // 47
                "    - name: needles.finds",                            // 48
                "      by: [place]",                                    // 49
                "    - name: needles.needles",                          // 50
                "      sum: needles",                                   // 51
                "    - name: needles.cleared",                          // 52
                "      where: {cleared: yes}",                          // 53
                "  rates:",                                             // 54
                "    - name: needles.cleared_share",                    // 55
                "      numerator: needles.cleared",                     // 56
                "      denominator: needles.finds",                     // 57
                "  ward_share: needles.ward_share",                     // 58
                "");
    }

    @Test
    void shouldReadEveryPartOfAValidContract() {
        final FeedContract contract = FeedContractReader.parse(valid(), FILE);

        assertThat(contract).isEqualTo(new FeedContract("needle-finds", "Council needle finds", "council",
                Duration.ofDays(8), new FeedContract.RecordName("NeedleFind", "org.csphub.feeds.needles",
                        "One find of discarded needles."),
                List.of(new Column("find_id", "find_id", "The council's own reference.", Presence.REQUIRED, null,
                                OptionalInt.empty(), new ColumnType.Id()),
                        new Column("found_on", "found_on", "When the needles were found.", Presence.REQUIRED, null,
                                OptionalInt.empty(), new ColumnType.Date()),
                        new Column("place", "place", "Where the needles were found.", Presence.REQUIRED, null,
                                OptionalInt.empty(), new ColumnType.Enum("Place", "Where a find was.",
                                        List.of("PARK", "STREET", "OTHER"), Optional.empty())),
                        new Column("needles", "needles", "How many needles.", Presence.REQUIRED, null,
                                OptionalInt.empty(), new ColumnType.Integer(1, 1000)),
                        new Column("cleared", "cleared", "Cleared the same day.", Presence.OPTIONAL, "no",
                                OptionalInt.empty(), new ColumnType.YesNo()),
                        new Column("bags", "bags", "Sharps bags used, when noted.", Presence.OPTIONAL, null,
                                OptionalInt.empty(), new ColumnType.Integer(0, 50)),
                        new Column("area", "area", "The ward and its district.", Presence.REQUIRED, null,
                                OptionalInt.empty(), new ColumnType.Area(List.of(ColumnType.AreaSource.WARD,
                                        ColumnType.AreaSource.LSOA)))),
                Limits.DEFAULTS,
                new FamilySpec("needles", "csp.metrics.needles", "found_on",
                        List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP),
                        List.of(new Breakdown("place", "place", Filter.ALL, null)),
                        List.of(new Count("needles.finds", Filter.ALL, Optional.empty(), Optional.empty(),
                                        List.of("place"), true),
                                new Count("needles.needles", Filter.ALL, Optional.of("needles"), Optional.empty(),
                                        List.of(), true),
                                new Count("needles.cleared", new Filter(Map.of("cleared", Set.of("yes"))),
                                        Optional.empty(), Optional.empty(), List.of(), true)),
                        List.of(new Rate("needles.cleared_share", "needles.cleared", "needles.finds", List.of())),
                        Optional.of("needles.ward_share"), Optional.empty()),
                Optional.empty()));
        assertThat(contract.rawTopic()).isEqualTo("csp.raw.needle-finds");
        assertThat(contract.deadLetterTopic()).isEqualTo("csp.dlq.needle-finds");
        assertThat(contract.family().counterOf("needles.cleared")).isEqualTo(2);
    }

    @Test
    void shouldReadLimitsAndAColumnsOwnLimit() {
        final FeedContract contract = FeedContractReader.parse(valid()
                .replace("columns:\n", "limits: {id: 64, row: 8192}\ncolumns:\n")
                .replace("    doc: The council's own reference.",
                        "    limit: 32\n    doc: The council's own reference."),
                FILE);

        assertThat(contract.limits()).isEqualTo(new Limits(64, 200, 4096, 8192));
        assertThat(contract.idColumn().limit()).hasValue(32);
    }

    @Test
    void shouldReadAColumnsLabelAndNameAnUnlabelledOneInWords() {
        final FeedContract contract = FeedContractReader.parse(valid()
                .replace("    doc: Sharps bags used, when noted.", "    label: sharps bags\n    doc: Sharps bags used."),
                FILE);

        assertThat(contract.column("bags").orElseThrow().label()).isEqualTo("sharps bags");
        assertThat(contract.column("found_on").orElseThrow().label()).isEqualTo("found on");
    }

    @Test
    void shouldRefuseAnUnknownColumnTypeListingTheValidOnes() {
        assertRefused(valid().replace("    type: integer\n    min: 1", "    type: number\n    min: 1"),
                "needle-finds.yaml, line 23, column 11: column 'needles' has the unknown type 'number'; valid types"
                        + " are id, date, datetime, enum, integer, yes/no, area, age, person_ref");
    }

    @Test
    void shouldRefuseAColumnDeclaredTwice() {
        assertRefused(valid().replace("  - name: needles", "  - name: place"),
                "needle-finds.yaml, line 22, column 11: column 'place' is declared twice (first on line 16)");
    }

    @Test
    void shouldRefuseAColumnNamedForAFieldEveryRecordHas() {
        assertRefused(valid().replace("  - name: bags", "  - name: source"),
                "needle-finds.yaml, line 32, column 11: column 'source' would be the record's field 'source', which "
                        + "every record has already (received_at, source); name the column otherwise, or give it a "
                        + "field of its own");
    }

    @Test
    void shouldRefuseTwoColumnsOfOneField() {
        assertRefused(valid().replace("    optional: yes\n    doc: Sharps bags used, when noted.",
                        "    optional: yes\n    field: needles\n    doc: Sharps bags used, when noted."),
                "needle-finds.yaml, line 37, column 12: column 'bags' would be the record's field 'needles', which "
                        + "column 'needles' (line 22) is already; give one of them a field of its own");
    }

    @Test
    void shouldRefuseTwoEnumsOfOneSymbol() {
        assertRefused(valid().replace("  - name: bags\n    type: integer\n    min: 0\n    max: 50\n",
                        "  - name: bags\n    type: enum\n    values: [ONE, MORE]\n    symbol: Place\n"
                                + "    symbol_doc: How many bags.\n"),
                "needle-finds.yaml, line 35, column 13: enum column 'bags' has the symbol 'Place' of column 'place' "
                        + "(line 16); each enum needs a name of its own");
    }

    @Test
    void shouldRefuseAnEnumWithoutValues() {
        assertRefused(valid().replace("    values: [PARK, STREET, OTHER]", "    values: []"),
                "needle-finds.yaml, line 18, column 13: enum column 'place' has no values; list the values a row"
                        + " may hold, e.g. values: [PERSONAL, NUISANCE]");
    }

    @Test
    void shouldRefuseAnEnumWhoseValuesAreLeftOut() {
        assertRefused(valid().replace("    values: [PARK, STREET, OTHER]\n", ""),
                "needle-finds.yaml, line 16, column 5: enum column 'place' has no values; list the values a row"
                        + " may hold, e.g. values: [PERSONAL, NUISANCE]");
    }

    @Test
    void shouldRefuseASumOfAColumnThatDoesNotExist() {
        assertRefused(valid().replace("      sum: needles", "      sum: syringes"),
                "needle-finds.yaml, line 51, column 12: count 'needles.needles' names 'syringes', which is not a"
                        + " column; columns are find_id, found_on, place, needles, cleared, bags, area");
    }

    @Test
    void shouldRefuseABreakdownByAColumnThatDoesNotExist() {
        assertRefused(valid().replace("      by: [place]", "      by: [colour]"),
                "needle-finds.yaml, line 49, column 12: count 'needles.finds' names 'colour', which is not a"
                        + " column; columns are find_id, found_on, place, needles, cleared, bags, area");
    }

    @Test
    void shouldRefuseAFilterOnAColumnThatDoesNotExist() {
        assertRefused(valid().replace("{cleared: yes}", "{removed: yes}"),
                "needle-finds.yaml, line 53, column 15: count 'needles.cleared' filters on 'removed', which is not"
                        + " a column; columns are find_id, found_on, place, needles, cleared, bags, area");
    }

    @Test
    void shouldRefuseAFilterOnAColumnThatIsNeitherYesNoNorEnum() {
        assertRefused(valid().replace("{cleared: yes}", "{needles: 5}"),
                "needle-finds.yaml, line 53, column 15: count 'needles.cleared' filters on 'needles', an integer"
                        + " column; a filter takes a yes/no column (engaged: yes) or an enum column"
                        + " (category: NUISANCE, or a list of values)");
    }

    @Test
    void shouldFilterOnEnumValues() {
        final FeedContract contract = FeedContractReader.parse(valid().replace("{cleared: yes}",
                "{place: [PARK, STREET], cleared: no}"), FILE);

        assertThat(contract.family().counts().get(2).where()).isEqualTo(new Filter(Map.of(
                "place", Set.of("PARK", "STREET"), "cleared", Set.of("no"))));
    }

    @Test
    void shouldRefuseAFilterOnAValueTheEnumDoesNotHave() {
        assertRefused(valid().replace("{cleared: yes}", "{place: BEACH}"),
                "needle-finds.yaml, line 53, column 22: 'BEACH' is not a value of 'place'; valid values are PARK,"
                        + " STREET, OTHER");
    }

    @Test
    void shouldRefuseAnUnknownKey() {
        assertRefused(valid().replace("freshness: P8D", "freshnes: P8D"),
                "needle-finds.yaml, line 4, column 1: unknown key 'freshnes'; expected one of slug, title, owner,"
                        + " freshness, disclosure, record, limits, columns, family, report");
    }

    @Test
    void shouldRefuseAMissingRequiredKey() {
        assertRefused(valid().replace("title: Council needle finds\n", ""),
                "needle-finds.yaml, line 1, column 1: 'title' is missing");
    }

    @Test
    void shouldRefuseABadSlug() {
        assertRefused(valid().replace("slug: needle-finds", "slug: Needle_Finds"),
                "needle-finds.yaml, line 1, column 7: slug 'Needle_Finds' may hold only lower-case letters, digits"
                        + " and single hyphens between them, e.g. police-asb");
    }

    @Test
    void shouldRefuseAFileNamedOtherThanItsSlug(@TempDir final Path folder) throws Exception {
        final Path file = folder.resolve("needles.yaml");
        Files.writeString(file, valid());

        assertThatThrownBy(() -> FeedContractReader.read(file))
                .isInstanceOf(InvalidContractException.class)
                .hasMessage(file + ", line 1, column 7: slug 'needle-finds' differs from the file's name; name the"
                        + " file needle-finds.yaml");
    }

    @Test
    void shouldRefuseAFirstCountThatDoesNotCountEveryRecord() {
        assertRefused(valid().replace("    - name: needles.finds\n      by: [place]\n",
                        "    - name: needles.finds\n      where: {cleared: yes}\n"),
                "needle-finds.yaml, line 48, column 7: the first count must count every record and be published"
                        + " (no where, sum or repeat): a series exists while it is above zero, and a ward share"
                        + " divides it");
    }

    @Test
    void shouldRefuseARateOfACountThatDoesNotExist() {
        assertRefused(valid().replace("      denominator: needles.finds", "      denominator: needles.found"),
                "needle-finds.yaml, line 57, column 20: rate 'needles.cleared_share' refers to 'needles.found',"
                        + " which is not a count; counts are needles.finds, needles.needles, needles.cleared");
    }

    @Test
    void shouldRefuseAWardLevelForAnAreaGivenAsDistrictOnly() {
        assertRefused(valid().replace("given_as: [ward, lsoa]", "given_as: [district]"),
                "needle-finds.yaml, line 45, column 11: level ward needs an area given as a ward, and 'area' is"
                        + " given as district only");
    }

    @Test
    void shouldRefuseYamlThatDoesNotParse() {
        assertThatThrownBy(() -> FeedContractReader.parse(valid().replace("  - name: bags", "  - name: [bags"), FILE))
                .isInstanceOfSatisfying(InvalidContractException.class, e -> {
                    assertThat(e.problem()).startsWith("not valid YAML: ");
                    assertThat(e.line()).isEqualTo(33);
                });
    }

    @Test
    void shouldReadEachDisclosurePolicy() {
        assertThat(Stream.of("open", "{threshold: 5}", "{round: {withhold_up_to: 7, base: 5}}")
                .map(policy -> FeedContractReader.parse(valid().replace("freshness: P8D",
                        "freshness: P8D\ndisclosure: " + policy), FILE).disclosure().orElseThrow().policy())
                .toList()).containsExactly(new DisclosurePolicy.Open(), new DisclosurePolicy.Threshold(5),
                        new DisclosurePolicy.Round(7, 5));
    }

    @Test
    void shouldReadStricterRulesOfCountsValuesAndLevels() {
        final FeedDisclosure crime = ShippedContracts.of("police-crime").disclosure().orElseThrow();

        assertThat(crime).isEqualTo(new FeedDisclosure(new DisclosurePolicy.Open(), List.of(
                new FeedDisclosure.Stricter(Set.of("crime.domestic_abuse"), Map.of(), Set.of(AreaType.WARD),
                        new DisclosurePolicy.Threshold(5)),
                new FeedDisclosure.Stricter(Set.of(), Map.of("offence_group", Set.of("SEXUAL_OFFENCES"),
                        "offence_subgroup", Set.of("RAPE", "OTHER_SEXUAL_OFFENCES")), Set.of(AreaType.WARD),
                        new DisclosurePolicy.Threshold(5)))));
    }

    @Test
    void shouldRefuseAStricterRuleOnSomethingTheFamilyDoesNotHave() {
        final String rules = "freshness: P8D\ndisclosure:\n  policy: open\n  stricter:\n";
        assertRefused(valid().replace("freshness: P8D", rules + "    - counts: [needles.syringes]\n      threshold: 5"),
                "needle-finds.yaml, line 8, column 16: 'needles.syringes' is not a count of family needles; its "
                        + "counts are needles.finds, needles.needles, needles.cleared");
        assertRefused(valid().replace("freshness: P8D", rules + "    - values: {needles: [3]}\n      threshold: 5"),
                "needle-finds.yaml, line 8, column 16: 'needles' is not a breakdown of family needles; its "
                        + "breakdowns are place");
        assertRefused(valid().replace("freshness: P8D", rules + "    - values: {place: [BEACH]}\n      threshold: 5"),
                "needle-finds.yaml, line 8, column 24: 'BEACH' is not a value of column 'place'; valid values are "
                        + "PARK, STREET, OTHER");
        assertRefused(valid().replace("freshness: P8D", rules + "    - levels: [ward]"),
                "needle-finds.yaml, line 8, column 7: a stricter rule needs its policy: threshold: N or round: "
                        + "{withhold_up_to: N, base: B}");
    }

    @Test
    void shouldRefuseAStricterRuleThatWithholdsLessThanItsFeed() {
        assertRefused(valid().replace("freshness: P8D", "freshness: P8D\ndisclosure:\n  policy: {threshold: 5}\n"
                + "  stricter:\n    - levels: [ward]\n      threshold: 3"),
                "needle-finds.yaml, line 9, column 7: a stricter rule must withhold at least what the feed's policy "
                        + "does (counts from 1 to 4 withheld), not counts from 1 to 2 withheld");
    }

    @Test
    void shouldRefuseAnUnknownDisclosurePolicy() {
        assertRefused(valid().replace("freshness: P8D", "freshness: P8D\ndisclosure: secret"),
                "needle-finds.yaml, line 5, column 13: disclosure is open, {threshold: N} (withhold 1 to N-1) or"
                        + " {round: {withhold_up_to: N, base: B}} (withhold 1 to N, round the rest to B), not 'secret'");
    }

    @Test
    void shouldRefuseABandThatIsNotAValueOfItsEnum() {
        assertRefused(valid().replace("    doc: Where the needles were found.", String.join("\n",
                        "    optional: yes",
                        "    banded_from:",
                        "      column: needles",
                        "      bands: {STREET: 100, ALLEY: 10, PARK: 1}",
                        "    doc: Where the needles were found.")),
                "needle-finds.yaml, line 24, column 28: band 'ALLEY' is not a value of column 'place'; valid values"
                        + " are PARK, STREET, OTHER");
    }

    @Test
    void shouldRefuseBandsThatLeaveTheLowestScoresWithoutABand() {
        assertRefused(valid().replace("    doc: Where the needles were found.", String.join("\n",
                        "    optional: yes",
                        "    banded_from:",
                        "      column: needles",
                        "      bands: {STREET: 100, PARK: 10}",
                        "    doc: Where the needles were found.")),
                "needle-finds.yaml, line 24, column 14: the last band must start at 1, the minimum of 'needles', so"
                        + " that every score has a band");
    }

    @Test
    void shouldRefuseABandingFromAColumnThatIsNotAnInteger() {
        assertRefused(valid().replace("    doc: Where the needles were found.", String.join("\n",
                        "    optional: yes",
                        "    banded_from:",
                        "      column: found_on",
                        "      bands: {STREET: 100, PARK: 1}",
                        "    doc: Where the needles were found.")),
                "needle-finds.yaml, line 23, column 15: column 'place' is banded from 'found_on', a date column;"
                        + " bands are taken from an integer column");
    }

    @Test
    void shouldRefuseABreakdownByAColumnThatIsNeitherEnumNorAge() {
        assertRefused(valid().replace("  breakdowns: [place]", "  breakdowns: [place, cleared]"),
                "needle-finds.yaml, line 46, column 23: a breakdown is by an enum or age column, and 'cleared' is an"
                        + " optional yes/no column");
    }

    @Test
    void shouldRefuseACountByAColumnThatIsNotABreakdown() {
        assertRefused(valid().replace("      by: [place]", "      by: [place, needles]"),
                "needle-finds.yaml, line 49, column 19: count 'needles.finds' is broken down by 'needles', which is"
                        + " not one of the family's breakdowns (place)");
    }

    @Test
    void shouldRefuseAnOptionalIdColumn() {
        assertRefused(valid().replace("    type: id\n", "    type: id\n    optional: yes\n"),
                "needle-finds.yaml, line 12, column 15: the id column cannot be optional: every record needs"
                        + " 'find_id'");
    }

    @Test
    void shouldRefuseADefaultOnARequiredColumn() {
        assertRefused(valid().replace("    max: 1000\n", "    max: 1000\n    default: 1\n"),
                "needle-finds.yaml, line 26, column 14: column 'needles' has a default but is not optional; add"
                        + " 'optional: yes' or 'optional: blank'");
    }

    @Test
    void shouldRefuseAMetricOutsideItsFamily() {
        assertRefused(valid().replace("    - name: needles.cleared\n", "    - name: sharps.cleared\n"),
                "needle-finds.yaml, line 52, column 13: metric name 'sharps.cleared' must be the family's name, a dot"
                        + " and lower-case letters, digits and underscores, e.g. needles.incidents");
    }

    @Test
    void shouldRefuseASecondDefinitionOfARepeat() {
        assertRefused(valid()
                        .replace("  - name: area\n", "  - name: finder_ref\n    type: person_ref\n    doc: The finder.\n"
                                + "  - name: area\n")
                        .replace("      sum: needles\n", "      repeat: {person: finder_ref, within_months: 12}\n")
                        .replace("      where: {cleared: yes}\n", "      repeat: {person: finder_ref, within_months: 6}\n"),
                "needle-finds.yaml, line 56, column 15: count 'needles.cleared' finds repeats otherwise than count"
                        + " 'needles.needles'; a family has one definition of a repeat");
    }

    /** {@link #valid()} with a column of spots grouped within the places, on lines 22 to 32. */
    private static String withSpots() {
        return valid().replace("    doc: Where the needles were found.\n", String.join("\n",
                "    doc: Where the needles were found.",               // 21
                "  - name: spot",                                       // 22
                "    type: enum",                                       // 23
                "    values: [PLAYGROUND, VERGE, ALLEY, BUS_STOP]",     // 24
                "    symbol: Spot",                                     // 25
                "    symbol_doc: A spot within a place.",               // 26
                "    within:",                                          // 27
                "      column: place",                                  // 28
                "      groups:",                                        // 29
                "        PARK: [PLAYGROUND, VERGE]",                    // 30
                "        STREET: [ALLEY, BUS_STOP]",                    // 31
                "    doc: Where exactly.",                              // 32
                ""));
    }

    @Test
    void shouldReadTheGroupsAnEnumsValuesBelongTo() {
        final ColumnType.Enum spot = (ColumnType.Enum) FeedContractReader.parse(withSpots(), FILE).column("spot")
                .orElseThrow().type();

        assertThat(spot.within()).hasValue(new ColumnType.Within("place", Map.of(
                "PARK", List.of("PLAYGROUND", "VERGE"), "STREET", List.of("ALLEY", "BUS_STOP"))));
        assertThat(spot.within().orElseThrow().allows("STREET", "ALLEY")).isTrue();
        assertThat(spot.within().orElseThrow().allows("PARK", "ALLEY")).isFalse();
        // OTHER is listed with no spot: a row giving it may give no spot
        assertThat(spot.within().orElseThrow().valuesOf("OTHER")).isEmpty();
    }

    @Test
    void shouldRefuseAGroupThatIsNotAValueOfTheGroupingColumn() {
        assertRefused(withSpots().replace("        STREET: [", "        BEACH: ["),
                "needle-finds.yaml, line 31, column 9: group 'BEACH' is not a value of column 'place'; valid values"
                        + " are PARK, STREET, OTHER");
    }

    @Test
    void shouldRefuseAGroupedValueThatIsNotAValueOfItsColumn() {
        assertRefused(withSpots().replace("PARK: [PLAYGROUND, VERGE]", "PARK: [PLAYGROUND, POND]"),
                "needle-finds.yaml, line 30, column 28: 'POND' is not a value of column 'spot'; valid values are"
                        + " PLAYGROUND, VERGE, ALLEY, BUS_STOP");
    }

    @Test
    void shouldRefuseAValueInTwoGroups() {
        assertRefused(withSpots().replace("STREET: [ALLEY, BUS_STOP]", "STREET: [ALLEY, BUS_STOP, VERGE]"),
                "needle-finds.yaml, line 31, column 35: 'VERGE' is listed in group STREET and in group PARK (line 30);"
                        + " each value of 'spot' belongs to one group");
    }

    @Test
    void shouldRefuseAValueInNoGroup() {
        assertRefused(withSpots().replace("STREET: [ALLEY, BUS_STOP]", "STREET: [ALLEY]"),
                "needle-finds.yaml, line 30, column 9: value BUS_STOP of column 'spot' is in no group; list each"
                        + " value under the group of 'place' it belongs to");
    }

    @Test
    void shouldRefuseGroupsWithinAColumnThatIsNotAnEnum() {
        assertRefused(withSpots().replace("      column: place", "      column: needles"),
                "needle-finds.yaml, line 28, column 15: column 'spot' is grouped within 'needles', an integer column;"
                        + " its groups are the values of another enum column");
    }

    @Test
    void shouldRefuseGroupsWithinAColumnThatDoesNotExist() {
        assertRefused(withSpots().replace("      column: place", "      column: kind"),
                "needle-finds.yaml, line 28, column 15: within of column 'spot' names 'kind', which is not a column;"
                        + " columns are find_id, found_on, place, spot, needles, cleared, bags, area");
    }

    @Test
    void shouldReadAnAreaThatARowMayLeaveBlankAsANullableField() {
        final FeedContract contract = FeedContractReader.parse(valid()
                .replace("    given_as: [ward, lsoa]\n", "    given_as: [ward, lsoa]\n    optional: blank\n"), FILE);

        assertThat(contract.column("area").orElseThrow().presence()).isEqualTo(Presence.BLANK_ALLOWED);
        assertThat(contract.avroSchema().getField("area").schema().isNullable()).isTrue();
        assertThat(contract.avroSchema().getField("area").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
    }

    @Test
    void shouldRefuseAnAreaAFileMayLeaveOut() {
        assertRefused(valid().replace("    given_as: [ward, lsoa]\n", "    given_as: [ward, lsoa]\n    optional: yes\n"),
                "needle-finds.yaml, line 41, column 15: the area column 'area' may be 'optional: blank' (every file has"
                        + " its columns, a row may leave them blank), not 'yes'");
    }

    @Test
    void shouldRefuseAnAreaThatMayBeBlankInAFamilyWithoutThePartnershipLevel() {
        assertRefused(valid().replace("    given_as: [ward, lsoa]\n", "    given_as: [ward, lsoa]\n    optional: blank\n")
                        .replace("  levels: [ward, district, csp]", "  levels: [ward, district]"),
                "needle-finds.yaml, line 46, column 11: a record without an area counts only in the partnership, and"
                        + " 'area' may be blank; add the level csp");
    }

    /** The valid contract with needle finds per 1,000 residents, by place, after its ward share (line 59). */
    private static String perThousand(final String entry) {
        return valid() + "  per_1000_residents:\n" + entry;
    }

    @Test
    void shouldReadACountPer1000Residents() {
        final FamilySpec family = FeedContractReader.parse(perThousand(
                "    - name: needles.finds_per_1000\n      count: needles.finds\n      by: [place]\n"
                        + "    - name: needles.needles_per_1000\n      count: needles.needles\n"), FILE).family();

        assertThat(family.perThousandResidents()).containsExactly(
                new FamilySpec.PerThousandResidents("needles.finds_per_1000", "needles.finds", List.of("place")),
                new FamilySpec.PerThousandResidents("needles.needles_per_1000", "needles.needles", List.of()));
        assertThat(family.countPerThousandResidents("needles.finds_per_1000")).contains("needles.finds");
        assertThat(family.countPerThousandResidents("needles.cleared_share")).isEmpty();
    }

    @Test
    void shouldRefuseACountPer1000ResidentsOfACountThatDoesNotExist() {
        assertRefused(perThousand("    - name: needles.finds_per_1000\n      count: needles.found\n"),
                "needle-finds.yaml, line 61, column 14: count per 1,000 residents 'needles.finds_per_1000' refers to"
                        + " 'needles.found', which is not a count; counts are needles.finds, needles.needles,"
                        + " needles.cleared");
    }

    @Test
    void shouldRefuseACountPer1000ResidentsByABreakdownItsCountIsNotPublishedBy() {
        assertRefused(perThousand("    - name: needles.needles_per_1000\n      count: needles.needles\n"
                        + "      by: [place]\n"),
                "needle-finds.yaml, line 62, column 11: count per 1,000 residents 'needles.needles_per_1000' is"
                        + " broken down by 'place', and its count 'needles.needles' is not; it is by no breakdown");
    }

    @Test
    void shouldRefuseACountPer1000ResidentsWithAnUnknownKeyOrNoCount() {
        assertRefused(perThousand("    - name: needles.finds_per_1000\n      count: needles.finds\n"
                        + "      per: 100000\n"),
                "needle-finds.yaml, line 62, column 7: unknown key 'per'; expected one of name, count, by");
        assertRefused(perThousand("    - name: needles.finds_per_1000\n"),
                "needle-finds.yaml, line 60, column 7: 'count' is missing");
        assertRefused(perThousand("    - name: needles.cleared_share\n      count: needles.finds\n"),
                "needle-finds.yaml, line 60, column 13: metric 'needles.cleared_share' is defined twice");
    }

    private static void assertRefused(final String yaml, final String message) {
        assertThatThrownBy(() -> FeedContractReader.parse(yaml, FILE))
                .isInstanceOf(InvalidContractException.class)
                .hasMessage(message);
    }
}
