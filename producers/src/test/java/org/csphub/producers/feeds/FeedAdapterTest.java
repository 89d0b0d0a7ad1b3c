package org.csphub.producers.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.FeedContractReader;
import org.csphub.geography.Area;
import org.csphub.geography.Geography;
import org.csphub.producers.intake.IntakeHarness;
import org.csphub.producers.privacy.ClientHasher;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.Problems;
import org.csphub.producers.validation.RowFields;
import org.csphub.serde.AvroSerializer;
import org.csphub.serde.InMemorySchemaRegistry;
import org.csphub.serde.WireFormat;
import org.junit.jupiter.api.Test;

/**
 * What a contract the hub does not ship makes of a row: defaults, blanks, an area listed before the
 * period it is resolved on, its own limits, and a record that encodes without a compiled class.
 */
class FeedAdapterTest {

    private static final String CONTRACT = String.join("\n",
            "slug: needle-finds",
            "title: Council needle finds",
            "owner: council",
            "freshness: P8D",
            "record: {name: NeedleFind, namespace: org.csphub.feeds.needles, doc: One find.}",
            "limits: {id: 64}",
            "columns:",
            "  - {name: find_id, type: id, doc: The reference.}",
            "  - {name: area, type: area, given_as: [ward, lsoa], doc: Where.}",
            "  - {name: found_on, type: date, doc: When.}",
            "  - {name: place, type: enum, values: [PARK, STREET, OTHER], symbol: Place, symbol_doc: Where.,"
                    + " optional: yes, default: OTHER, doc: Where.}",
            "  - {name: needles, type: integer, min: 1, max: 1000, label: needle count, doc: How many.}",
            "  - {name: cleared, type: yes/no, optional: yes, default: no, doc: Cleared.}",
            "  - {name: bags, type: integer, min: 0, max: 50, optional: yes, doc: Bags.}",
            "  - {name: seen_at, type: datetime, optional: blank, doc: Seen.}",
            "family:",
            "  name: needles",
            "  period: found_on",
            "  levels: [ward, district, csp]",
            "  counts: [{name: needles.finds}]",
            "");
    private static final Clock CLOCK = Clock.fixed(IntakeHarness.NOW, ZoneOffset.UTC);

    private final FeedContract contract = FeedContractReader.parse(CONTRACT, "needle-finds.yaml");
    private final FeedAdapter adapter = new FeedAdapter(contract, new AreaResolver(Geography.defaults()), () -> {
        throw new AssertionError("no column is a person's reference");
    });

    private Problems problems;

    private Optional<GenericRecord> row(final String header, final String line) {
        final List<String> columns = Arrays.asList(header.split(",", -1));
        problems = new Problems("finds.csv", 2);
        final RowFields row = new RowFields(adapter.contract().layout(columns, Set.of()),
                Arrays.asList(line.split(",", -1)), problems, CLOCK);
        return adapter.toRecord(row.value("find_id").orElse(""), row, IntakeHarness.NOW, "finds.csv:2");
    }

    @Test
    void shouldDeclareTheExportFromTheContract() {
        final ExportContract export = adapter.contract();

        assertThat(export.describe())
                .isEqualTo("find_id, found_on, needles, seen_at, ward|lsoa, [place], [cleared], [bags], [action]");
        assertThat(export.limitOf("find_id")).isEqualTo(64);
    }

    @Test
    void shouldGiveLeftOutColumnsTheirDefaultsAndBlanksNull() {
        final GenericRecord record = row("find_id,found_on,needles,seen_at,ward", "N-1,2021-06-01,12,,Market")
                .orElseThrow();

        assertThat(record.get("place").toString()).isEqualTo("OTHER");
        assertThat(record.get("cleared")).isEqualTo(false);
        assertThat(record.get("bags")).isNull();
        assertThat(record.get("seen_at")).isNull();
        assertThat(record.get("found_on")).isEqualTo((int) LocalDate.of(2021, 6, 1).toEpochDay());
        assertThat(record.get("received_at")).isEqualTo(IntakeHarness.NOW.toEpochMilli());
    }

    @Test
    void shouldResolveAnAreaListedBeforeThePeriodOnThePeriodsDate() {
        // Market's code changed in May 2021: the ward is looked up on the date found, not today's
        final GenericRecord record = row("find_id,found_on,needles,seen_at,ward", "N-1,2020-06-01,12,,Market")
                .orElseThrow();

        assertThat(((Area) record.get("area")).getWardCode()).isEqualTo("E05002709");
    }

    @Test
    void shouldTakeGivenValuesOverDefaults() {
        final GenericRecord record = row("find_id,found_on,needles,seen_at,ward,place,cleared,bags",
                "N-1,2021-06-01,12,2021-06-01T10:00,Market,street,yes,3").orElseThrow();

        assertThat(record.get("place").toString()).isEqualTo("STREET");
        assertThat(record.get("cleared")).isEqualTo(true);
        assertThat(record.get("bags")).isEqualTo(3);
        assertThat(record.get("seen_at")).isEqualTo(java.time.Instant.parse("2021-06-01T09:00:00Z").toEpochMilli());
    }

    @Test
    void shouldReportEveryProblemInTheOrderTheColumnsAreChecked() {
        assertThat(row("find_id,found_on,needles,seen_at,ward,place,cleared,bags", "N-1,,0,soon,Nowhere,BEACH,maybe,51"))
                .isEmpty();

        assertThat(problems.reasons()).extracting(reason -> reason.getColumn() + " " + reason.getCode())
                .containsExactly("found_on MISSING_VALUE", "ward UNKNOWN_WARD", "place NOT_IN_ENUM",
                        "needles OUT_OF_RANGE", "cleared BAD_BOOLEAN", "bags OUT_OF_RANGE", "seen_at BAD_DATE");
    }

    @Test
    void shouldWriteARecordOfASchemaWithoutACompiledClass() throws IOException {
        final GenericRecord record = row("find_id,found_on,needles,seen_at,ward", "N-1,2021-06-01,12,2021-06-01,Market")
                .orElseThrow();

        final byte[] bytes = new AvroSerializer<GenericRecord>(new InMemorySchemaRegistry(), false)
                .serialize("csp.raw.needle-finds", record);

        final GenericRecord read = new GenericDatumReader<GenericRecord>(contract.avroSchema()).read(null,
                DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_LENGTH,
                        bytes.length - WireFormat.HEADER_LENGTH, null));
        assertThat(read.toString()).isEqualTo(record.toString());
    }

    @Test
    void shouldBeTheFeedOfItsContractThoughTheHubDoesNotShipIt() {
        assertThat(adapter.feed().slug()).isEqualTo("needle-finds");
        assertThat(adapter.feed().rawTopic()).isEqualTo("csp.raw.needle-finds");
        assertThat(adapter.feed().deadLetterTopic()).isEqualTo("csp.dlq.needle-finds");
    }

    @Test
    void shouldAskForTheHashingKeyOnlyForAPersonsReference() {
        final FeedContract withPerson = FeedContractReader.parse(CONTRACT.replace("columns:\n",
                "columns:\n  - {name: finder_ref, type: person_ref, doc: Who.}\n"), "needle-finds.yaml");

        assertThatThrownBy(() -> new FeedAdapter(withPerson, new AreaResolver(Geography.defaults()), () -> {
            throw new IllegalStateException("set the key");
        })).hasMessage("set the key");
        assertThat(new FeedAdapter(withPerson, new AreaResolver(Geography.defaults()),
                () -> new ClientHasher(IntakeHarness.IDVA_KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .contract().describe()).startsWith("finder_ref, find_id");
    }
}
