package org.csphub.producers.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.csphub.contracts.ShippedContracts;
import org.csphub.geography.Area;
import org.csphub.geography.Geography;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.Problems;
import org.csphub.producers.validation.RowFields;
import org.junit.jupiter.api.Test;

/**
 * Rows of the feeds whose contracts ship before the hub runs them: police recorded crime (a subgroup
 * within its group), council needle finds (a sum) and ED assault attendances (an area a row may leave
 * blank), through the one adapter built from each contract.
 */
class NewFeedsAdapterTest {

    private static final Clock CLOCK = Clock.fixed(IntakeHarness.NOW, ZoneOffset.UTC);
    private static final String CRIME = "crime_id,recorded_on,offence_group,offence_subgroup,domestic_abuse,"
            + "hate_crime,victim_age,ward";
    private static final String NEEDLES = "find_id,found_on,ward,needles";
    private static final String ED = "attendance_id,attended_on,ward,sex,age";
    private static final AreaResolver AREAS = new AreaResolver(Geography.defaults());

    private Problems problems;

    private Optional<GenericRecord> row(final String slug, final String file, final String header, final String line) {
        final FeedAdapter adapter = new FeedAdapter(ShippedContracts.of(slug), AREAS, () -> {
            throw new AssertionError("no column is a person's reference");
        });
        problems = new Problems(file, 7);
        final RowFields row = new RowFields(adapter.contract().layout(Arrays.asList(header.split(",", -1)), Set.of()),
                Arrays.asList(line.split(",", -1)), problems, CLOCK);
        final String id = row.value(adapter.contract().idColumn()).orElse("");
        return adapter.toRecord(id, row, IntakeHarness.NOW, file + ":7");
    }

    private List<String> messages() {
        return problems.reasons().stream().map(reason -> reason.getCode() + " " + reason.getMessage()).toList();
    }

    @Test
    void shouldPublishACrimeWhoseSubgroupIsWithinItsGroup() {
        final GenericRecord record = row("police-crime", "crime.csv", CRIME,
                "C-1,2020-03-02,violence against the person,stalking and harassment,yes,no,34,Market").orElseThrow();

        assertThat(record.get("offence_group").toString()).isEqualTo("VIOLENCE_AGAINST_THE_PERSON");
        assertThat(record.get("offence_subgroup").toString()).isEqualTo("STALKING_AND_HARASSMENT");
        assertThat(record.get("domestic_abuse")).isEqualTo(true);
        assertThat(record.get("victim_age_band")).isEqualTo("30-34");
        assertThat(record.get("recorded_on")).isEqualTo((int) LocalDate.of(2020, 3, 2).toEpochDay());
        assertThat(((Area) record.get("area")).getWardName()).isEqualTo("Market");
    }

    @Test
    void shouldPublishACrimeWithoutAPersonVictimWithoutAnAge() {
        final GenericRecord record = row("police-crime", "crime.csv", CRIME,
                "C-1,2020-03-02,THEFT_OFFENCES,SHOPLIFTING,no,no,,Market").orElseThrow();

        assertThat(record.get("victim_age_band")).isNull();
    }

    @Test
    void shouldRejectASubgroupOutsideItsGroupNamingBothColumnsAndTheGroupsSubgroups() {
        assertThat(row("police-crime", "crime.csv", CRIME, "C-1,2020-03-02,ROBBERY,SHOPLIFTING,no,no,19,Market"))
                .isEmpty();

        assertThat(messages()).containsExactly("NOT_IN_GROUP crime.csv line 7, column 4 (offence_subgroup): "
                + "'SHOPLIFTING' is not within offence_group ROBBERY; with offence_group ROBBERY, offence_subgroup is"
                + " one of ROBBERY_OF_BUSINESS_PROPERTY, ROBBERY_OF_PERSONAL_PROPERTY");
    }

    @Test
    void shouldRejectAnUnknownSubgroupOnceAsNotInTheEnum() {
        assertThat(row("police-crime", "crime.csv", CRIME, "C-1,2020-03-02,ROBBERY,MUGGING,no,no,19,Market"))
                .isEmpty();

        assertThat(messages()).extracting(message -> message.substring(0, message.indexOf(' ')))
                .containsExactly("NOT_IN_ENUM");
    }

    @Test
    void shouldAddUpNeedlesAndRejectAFindOfNone() {
        assertThat(row("needle-finds", "needles.csv", NEEDLES, "N-1,2020-02-03,Petersfield,14").orElseThrow()
                .get("needles")).isEqualTo(14);

        assertThat(row("needle-finds", "needles.csv", NEEDLES, "N-2,2020-02-03,Petersfield,0")).isEmpty();
        assertThat(messages()).containsExactly(
                "OUT_OF_RANGE needles.csv line 7, column 4 (needles): 0 is outside 1 to 1000");
    }

    @Test
    void shouldPublishAnAttendanceWithoutAResidenceWithoutAnArea() {
        final GenericRecord record = row("ed-assaults", "ed.csv", ED, "E-1,2020-07-11,,M,23").orElseThrow();

        assertThat(record.get("area")).isNull();
        assertThat(record.get("age_band")).isEqualTo("20-24");
    }

    @Test
    void shouldStillRejectAnUnknownWardOfResidence() {
        assertThat(row("ed-assaults", "ed.csv", ED, "E-1,2020-07-11,Narnia,M,23")).isEmpty();

        assertThat(messages()).hasSize(1).first().asString()
                .startsWith("UNKNOWN_WARD ed.csv line 7, column 3 (ward): 'Narnia' is not a ward in force on 2020-07-11");
    }

    @Test
    void shouldRejectAnAttendanceOfAnUnknownSex() {
        assertThat(row("ed-assaults", "ed.csv", ED, "E-1,2020-07-11,Abbey,X,23")).isEmpty();

        assertThat(messages()).containsExactly("NOT_IN_ENUM ed.csv line 7, column 4 (sex): 'X' is not one of M, F, U");
    }
}
