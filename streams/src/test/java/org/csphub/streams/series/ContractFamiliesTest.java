package org.csphub.streams.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.ShippedContracts;
import org.csphub.feeds.ambulance.Sex;
import org.csphub.feeds.fire.FireCause;
import org.csphub.feeds.fire.FireIncidentType;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.IdvaStrand;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.geography.Geography;
import org.csphub.geography.Population;
import org.csphub.metrics.AreaType;
import org.csphub.streams.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractFamiliesTest {

    private static final String CSP_CODE = "E99999999";
    private static final String CSP_NAME = "Cambridgeshire and Peterborough";
    private static final Population POPULATION = Geography.defaults().population();

    static Stream<Arguments> shippedFeeds() {
        return Stream.of(
                Arguments.of("police-asb", ShippedFamilies.asb(CSP_CODE, CSP_NAME)),
                Arguments.of("ambulance-callouts", ShippedFamilies.ambulance(CSP_CODE, CSP_NAME)),
                Arguments.of("idva-referrals", ShippedFamilies.idva(CSP_CODE, CSP_NAME)),
                Arguments.of("fire-incidents", ShippedFamilies.fire(CSP_CODE, CSP_NAME)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedFeeds")
    void shouldBuildTheFamilyTheMetricDefinitionsDescribe(final String slug, final MetricFamily today) {
        assertThat(ContractFamilies.of(ShippedContracts.of(slug), CSP_CODE, CSP_NAME, POPULATION)).isEqualTo(today);
    }

    static Stream<Arguments> newFeeds() {
        final List<AreaType> levels = List.of(AreaType.WARD, AreaType.DISTRICT, AreaType.CSP);
        final Set<String> total = Set.of(MetricFamily.TOTAL);
        final Set<String> byGroup = Set.of(MetricFamily.TOTAL, "offence_group");
        return Stream.of(
                Arguments.of("police-crime", new MetricFamily("crime", "csp.metrics.crime", levels,
                        List.of("offence_group", "offence_subgroup"),
                        List.of(new MetricFamily.CountMetric("crime.offences", 0,
                                        Set.of(MetricFamily.TOTAL, "offence_group", "offence_subgroup")),
                                new MetricFamily.CountMetric("crime.domestic_abuse", 1, byGroup),
                                new MetricFamily.CountMetric("crime.hate_crime", 2, byGroup)),
                        List.of(new MetricFamily.RateMetric("crime.domestic_abuse_rate", 1, 0, total)),
                        "crime.ward_share", null, CSP_CODE, CSP_NAME,
                        List.of(new MetricFamily.PerThousandResidents("crime.hate_crime_per_1000", 2, total)),
                        POPULATION)),
                Arguments.of("needle-finds", new MetricFamily("needles", "csp.metrics.needles", levels, List.of(),
                        List.of(new MetricFamily.CountMetric("needles.finds", 0, total),
                                new MetricFamily.CountMetric("needles.needles", 1, total)),
                        List.of(), "needles.ward_share", null, CSP_CODE, CSP_NAME)),
                Arguments.of("ed-assaults", new MetricFamily("ed", "csp.metrics.ed", levels, List.of("sex", "age_band"),
                        List.of(new MetricFamily.CountMetric("ed.attendances", 0,
                                Set.of(MetricFamily.TOTAL, "sex", "age_band"))),
                        List.of(), "ed.ward_share", null, CSP_CODE, CSP_NAME)));
    }

    /** The families of the feeds the hub does not run yet, as docs/metrics.md defines them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newFeeds")
    void shouldBuildTheNewFeedsFamiliesTheMetricDefinitionsDescribe(final String slug, final MetricFamily defined) {
        assertThat(ContractFamilies.of(ShippedContracts.of(slug), CSP_CODE, CSP_NAME, POPULATION)).isEqualTo(defined);
    }

    @Test
    void shouldPutAnAttendanceWithoutAResidenceInNoWardAndNoDistrict() {
        final FeedContract contract = ShippedContracts.of("ed-assaults");
        final GenericData.Record record = new GenericData.Record(contract.avroSchema());
        record.put("attendance_id", "E1");
        record.put("attended_on", (int) LocalDate.parse("2020-07-31").toEpochDay());
        record.put("sex", new GenericData.EnumSymbol(contract.avroSchema().getField("sex").schema(), "F"));
        record.put("received_at", Records.RECEIVED.toEpochMilli());

        assertThat(new RecordContributions(contract).of(record, false)).isEqualTo(new Contribution(
                YearMonth.of(2020, 7), null, null, null, null, Map.of("sex", "F", "age_band", "UNKNOWN"),
                new long[] {1}));
    }

    /** Times just before midnight UTC in summer, so that a month taken in UTC rather than London's would differ. */
    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("idva-referrals", new IdvaReferral("R1", LocalDate.parse("2021-03-31"),
                        Records.district(Records.CAMBRIDGE, "Cambridge"), IdvaStrand.HEALTH, 12, RiskLevel.MEDIUM, true,
                        "c1", false, true, true, Records.RECEIVED, "referrals.csv:2")),
                Arguments.of("fire-incidents", Records.fire("F1", "2020-08-31T23:59:59Z", FireIncidentType.CHIMNEY_FIRE,
                        FireCause.DELIBERATE, Records.ward(Records.ABBEY))),
                Arguments.of("ambulance-callouts", Records.callout("C1", "2021-05-31T23:30:00Z", Records.ABBEY, Sex.U,
                        null)));
    }

    /** The topologies read the raw topics as generic records of the contract's schema. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void shouldContributeTheSameFromAGenericRecordAsFromTheGeneratedOne(final String slug,
            final SpecificRecord record) throws IOException {
        final FeedContract contract = ShippedContracts.of(slug);

        final GenericRecord generic = asGeneric(record, contract.avroSchema());

        assertThat(generic.get("area")).isInstanceOf(GenericData.Record.class);
        final RecordContributions contributions = new RecordContributions(contract);
        assertThat(contributions.of(generic, true)).isEqualTo(contributions.of((GenericRecord) record, true));
    }

    private static GenericRecord asGeneric(final SpecificRecord record, final Schema schema) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }
}
