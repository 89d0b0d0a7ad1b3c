package org.csphub.sinks.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.sinks.MetricFixtures.CAMBRIDGE;
import static org.csphub.sinks.MetricFixtures.CSP;
import static org.csphub.sinks.MetricFixtures.UPDATED;
import static org.csphub.sinks.MetricFixtures.metric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.csphub.access.Audience;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.sinks.snapshot.MetricSnapshot;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractWriterTest {

    private static final Instant READ_AT = Instant.parse("2021-04-06T08:00:00Z");
    private final ExtractWriter writer = new ExtractWriter(new DisclosureControl(5, ward -> Optional.empty()));

    private static final AreaMetric SEPTEMBER = metric("asb.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE,
            "Cambridge", PeriodType.MONTH, "2020-09", 463.0);
    private static final AreaMetric SMALL = metric("asb.incidents", "category", "PERSONAL", AreaType.DISTRICT,
            CAMBRIDGE, "Cambridge", PeriodType.MONTH, "2020-10", 3.0);
    private static final AreaMetric YEAR = metric("fire.fires", null, null, AreaType.CSP, CSP,
            "Cambridgeshire and Peterborough", PeriodType.FINANCIAL_YEAR, "2020/21", 177.0);

    private static MetricSnapshot snapshot(final AreaMetric... metrics) {
        return new MetricSnapshot(List.of(metrics), Map.of(new TopicPartition("csp.metrics.asb", 0), 42L,
                new TopicPartition("csp.metrics.fire", 2), 7L), READ_AT);
    }

    @Test
    void shouldWriteOneParquetAndCsvFilePerFamilyAndPeriodTypeWithDisclosureApplied(@TempDir final Path folder)
            throws IOException {
        final List<ExtractWriter.ExtractFile> files = writer.write(snapshot(SEPTEMBER, SMALL, YEAR), folder);

        assertThat(files).containsExactly(
                new ExtractWriter.ExtractFile("asb", PeriodType.MONTH, 2, "asb-month.parquet", "asb-month.csv"),
                new ExtractWriter.ExtractFile("fire", PeriodType.FINANCIAL_YEAR, 1, "fire-financial-year.parquet",
                        "fire-financial-year.csv"));
        try (Stream<Path> listed = Files.list(folder)) {
            assertThat(listed.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(
                    "asb-month.parquet", "asb-month.csv", "fire-financial-year.parquet", "fire-financial-year.csv",
                    "manifest.json");
        }
        assertThat(Files.readString(folder.resolve("asb-month.csv"), StandardCharsets.UTF_8)).isEqualTo(
                "metric,dimension,dimension_value,area_type,area_code,area_name,period_type,period,value,numerator,"
                        + "denominator,suppressed,updated_at\n"
                        + "asb.incidents,,,DISTRICT,E07000008,Cambridge,MONTH,2020-09,463,,,false," + UPDATED + "\n"
                        + "asb.incidents,category,PERSONAL,DISTRICT,E07000008,Cambridge,MONTH,2020-10,,,,true,"
                        + UPDATED + "\n");
        assertThat(readParquet(folder.resolve("asb-month.parquet"))).containsExactly(
                text(SEPTEMBER),
                text(AreaMetric.newBuilder(SMALL).setValue(null).setSuppressed(true).build()));
    }

    @Test
    void shouldDescribeTheExtractAndItsInputOffsetsInTheManifest(@TempDir final Path folder) throws IOException {
        writer.write(snapshot(SEPTEMBER, YEAR), folder);

        final ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(folder.resolve("manifest.json").toFile());
        // every family's policy, here the one threshold the writer was given
        final JsonNode disclosure = manifest.remove("disclosure");
        assertThat(disclosure.size()).isEqualTo(FeedCatalog.shipped().contracts().size());
        assertThat(disclosure.get("asb")).isEqualTo(new ObjectMapper().readTree("""
                {"policy": "counts from 1 to 4 withheld", "withheld_shown_as": "<5", "stricter_rules": 0}"""));
        assertThat(manifest).isEqualTo(new ObjectMapper().readTree("""
                {"generated_at": "2021-04-06T08:00:00Z", "audience": "public",
                 "files": [
                   {"family": "asb", "period_type": "MONTH", "rows": 1, "parquet": "asb-month.parquet",
                    "csv": "asb-month.csv"},
                   {"family": "fire", "period_type": "FINANCIAL_YEAR", "rows": 1,
                    "parquet": "fire-financial-year.parquet", "csv": "fire-financial-year.csv"}],
                 "input_offsets": [
                   {"topic": "csp.metrics.asb", "partition": 0, "next_offset": 42},
                   {"topic": "csp.metrics.fire", "partition": 2, "next_offset": 7}]}
                """));
    }

    @Test
    void shouldWriteThePartnersViewWithTheFullFiguresAndSayWhoItIsFor(@TempDir final Path folder) throws IOException {
        final ExtractWriter partner = new ExtractWriter(new DisclosureControl(5, ward -> Optional.empty()),
                Audience.PARTNER);

        partner.write(snapshot(SEPTEMBER, SMALL, YEAR), folder);

        // the count of 3 that the public extract withholds is there as it was computed
        assertThat(Files.readString(folder.resolve("asb-month.csv"), StandardCharsets.UTF_8)).isEqualTo(
                "metric,dimension,dimension_value,area_type,area_code,area_name,period_type,period,value,numerator,"
                        + "denominator,suppressed,updated_at\n"
                        + "asb.incidents,,,DISTRICT,E07000008,Cambridge,MONTH,2020-09,463,,,false," + UPDATED + "\n"
                        + "asb.incidents,category,PERSONAL,DISTRICT,E07000008,Cambridge,MONTH,2020-10,3,,,false,"
                        + UPDATED + "\n");
        assertThat(readParquet(folder.resolve("asb-month.parquet"))).containsExactly(text(SEPTEMBER), text(SMALL));
        final JsonNode manifest = new ObjectMapper().readTree(folder.resolve("manifest.json").toFile());
        assertThat(manifest.get("audience").asText()).isEqualTo("partner");
        // no withheld value to explain
        assertThat(manifest.has("disclosure_threshold")).isFalse();
        assertThat(manifest.has("withheld_shown_as")).isFalse();
        for (final String file : List.of("asb-month.csv", "asb-month.parquet", "manifest.json")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
    }

    @Test
    void shouldReplaceAnEarlierExtractLeavingNoTemporaryFiles(@TempDir final Path folder) throws IOException {
        writer.write(snapshot(SEPTEMBER), folder);
        final AreaMetric corrected = AreaMetric.newBuilder(SEPTEMBER).setValue(383.0).build();

        writer.write(snapshot(corrected), folder);

        assertThat(readParquet(folder.resolve("asb-month.parquet")))
                .containsExactly(text(corrected));
        try (Stream<Path> listed = Files.list(folder)) {
            assertThat(listed.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    /** Every row of a Parquet file, read with Parquet's own column API, as {@link #text} gives them. */
    private static List<String> readParquet(final Path file) throws IOException {
        final List<String> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            final MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            final MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
            for (PageReadStore pages = reader.readNextRowGroup(); pages != null; pages = reader.readNextRowGroup()) {
                final RecordReader<Group> records = columns.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    final Group group = records.read();
                    final List<String> fields = new ArrayList<>();
                    for (int field = 0; field < schema.getFieldCount(); field++) {
                        fields.add(schema.getFieldName(field) + "=" + (group.getFieldRepetitionCount(field) == 0
                                ? "null" : group.getValueToString(field, 0)));
                    }
                    rows.add(String.join("|", fields));
                }
            }
        }
        return rows;
    }

    /** A row as {@link #readParquet} gives it. */
    private static String text(final AreaMetric metric) {
        final GenericRecord row = ExtractWriter.row(metric);
        final List<String> fields = new ArrayList<>();
        row.getSchema().getFields().forEach(field -> fields.add(field.name() + "=" + row.get(field.name())));
        return String.join("|", fields);
    }
}
