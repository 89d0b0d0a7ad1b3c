package org.csphub.sinks.extract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.csphub.access.Audience;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.MetricColumns;
import org.csphub.metrics.PeriodType;
import org.csphub.sinks.snapshot.MetricSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the metrics in the view of one {@link Audience} as one Parquet and one CSV file per metric
 * family and period type ({@code asb-month.parquet}, {@code asb-month.csv}, ...), and a
 * {@code manifest.json} naming the audience, the files, when they were written and the topic offsets
 * they reflect. The public view is the published one (disclosure control applied); a partner's holds
 * the full figures, for partners under the data-sharing agreement only, in files only their owner may
 * read.
 * Every file is written under a temporary name in the same folder and then renamed over the old one,
 * so a reader sees either the previous extract or the new one, never half a file.
 */
public final class ExtractWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractWriter.class);
    static final String MANIFEST = "manifest.json";
    static final List<String> COLUMNS = List.of("metric", "dimension", "dimension_value", "area_type", "area_code",
            "area_name", "period_type", "period", "value", "numerator", "denominator", "suppressed", "updated_at");

    /** The rows of the extracts: the metric's fields with enums as plain strings, so any reader can take them. */
    static final Schema ROW = SchemaBuilder.record("PublishedAreaMetric").namespace("org.csphub.extract").fields()
            .requiredString("metric")
            .optionalString("dimension")
            .optionalString("dimension_value")
            .requiredString("area_type")
            .requiredString("area_code")
            .requiredString("area_name")
            .requiredString("period_type")
            .requiredString("period")
            .optionalDouble("value")
            .optionalLong("numerator")
            .optionalLong("denominator")
            .requiredBoolean("suppressed")
            .name("updated_at").type().unionOf().nullType().and()
            .type(org.apache.avro.LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .endUnion().nullDefault()
            .endRecord();

    private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<AreaMetric> ROW_ORDER = Comparator.comparing(AreaMetric::getMetric)
            .thenComparing(AreaMetric::getDimension, TEXT).thenComparing(AreaMetric::getDimensionValue, TEXT)
            .thenComparing(AreaMetric::getAreaType).thenComparing(AreaMetric::getAreaCode)
            .thenComparing(AreaMetric::getPeriod);

    /** One family and period type's pair of files. */
    public record ExtractFile(String family, PeriodType periodType, int rows, String parquet, String csv) {
    }

    private final DisclosureControl disclosure;
    private final Audience audience;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A writer of the public view: the published figures. */
    public ExtractWriter(final DisclosureControl disclosure) {
        this(disclosure, Audience.PUBLIC);
    }

    /** A writer of {@code audience}'s view: the published figures for the public, the full ones for a partner. */
    public ExtractWriter(final DisclosureControl disclosure, final Audience audience) {
        this.disclosure = disclosure;
        this.audience = audience;
    }

    public Audience audience() {
        return audience;
    }

    /** Writes the extract of {@code snapshot} into {@code folder}, replacing an earlier one. */
    public List<ExtractFile> write(final MetricSnapshot snapshot, final Path folder) throws IOException {
        Files.createDirectories(folder);
        final Map<String, List<AreaMetric>> groups = new TreeMap<>();
        final List<AreaMetric> view = audience.seesFullFigures() ? snapshot.metrics()
                : disclosure.apply(snapshot.metrics());
        for (final AreaMetric metric : view) {
            groups.computeIfAbsent(MetricCell.of(metric).family() + "-"
                    + metric.getPeriodType().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    key -> new ArrayList<>()).add(metric);
        }
        final List<ExtractFile> files = new ArrayList<>();
        for (final Map.Entry<String, List<AreaMetric>> group : groups.entrySet()) {
            final List<AreaMetric> rows = new ArrayList<>(group.getValue());
            rows.sort(ROW_ORDER);
            final String parquet = group.getKey() + ".parquet";
            final String csv = group.getKey() + ".csv";
            replace(folder.resolve(parquet), temporary -> writeParquet(rows, temporary));
            replace(folder.resolve(csv), temporary -> writeCsv(rows, temporary));
            final AreaMetric first = rows.get(0);
            files.add(new ExtractFile(MetricCell.of(first).family(), first.getPeriodType(), rows.size(), parquet, csv));
        }
        replace(folder.resolve(MANIFEST), temporary -> writeManifest(snapshot, files, temporary));
        LOG.info("Wrote {} extract files ({} view) and the manifest to {}", files.size() * 2, audience, folder);
        return files;
    }

    private interface FileBody {
        void write(Path temporary) throws IOException;
    }

    private void replace(final Path target, final FileBody body) throws IOException {
        final Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            body.write(temporary);
            if (audience.seesFullFigures()) {
                ownerOnly(temporary);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A partner extract holds small counts: only its owner may read its files, as with the credentials files. */
    private static void ownerOnly(final Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions apply
        }
    }

    private static void writeParquet(final List<AreaMetric> rows, final Path file) throws IOException {
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withSchema(ROW)
                .withDataModel(GenericData.get())
                // Parquet reaches its compression codecs through a full Hadoop Configuration; dictionary and
                // run-length encoding already keep these small files small
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (final AreaMetric metric : rows) {
                writer.write(row(metric));
            }
        }
    }

    static GenericRecord row(final AreaMetric metric) {
        final GenericRecord row = new GenericData.Record(ROW);
        MetricColumns.of(metric).forEach((column, value) -> row.put(column,
                value instanceof Instant instant ? instant.toEpochMilli() : value));
        return row;
    }

    private static void writeCsv(final List<AreaMetric> rows, final Path file) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
                        .setHeader(COLUMNS.toArray(String[]::new)).setRecordSeparator("\n").get())) {
            for (final AreaMetric metric : rows) {
                printer.printRecord(metric.getMetric(), metric.getDimension(), metric.getDimensionValue(),
                        metric.getAreaType(), metric.getAreaCode(), metric.getAreaName(), metric.getPeriodType(),
                        metric.getPeriod(), plain(metric.getValue()), metric.getNumerator(), metric.getDenominator(),
                        metric.getSuppressed(), metric.getUpdatedAt());
            }
        }
    }

    /** A whole number without a trailing {@code .0}, so that a spreadsheet shows counts as counts. */
    private static String plain(final Double value) {
        if (value == null) {
            return null;
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString(value.longValue())
                : value.toString();
    }

    private void writeManifest(final MetricSnapshot snapshot, final List<ExtractFile> files, final Path file)
            throws IOException {
        final ObjectNode manifest = json.createObjectNode();
        manifest.put("generated_at", snapshot.readAt().toString());
        // who the figures are for: public (published, disclosure control applied) or partner (full figures)
        manifest.put("audience", audience.label());
        if (!audience.seesFullFigures()) {
            final ObjectNode policies = manifest.putObject("disclosure");
            disclosure.disclosures().forEach((family, declared) -> policies.putObject(family)
                    .put("policy", declared.policy().describe())
                    .put("withheld_shown_as", declared.policy().withheldLabel())
                    .put("stricter_rules", declared.stricter().size()));
        }
        final ArrayNode list = manifest.putArray("files");
        for (final ExtractFile extract : files) {
            list.addObject().put("family", extract.family()).put("period_type", extract.periodType().name())
                    .put("rows", extract.rows()).put("parquet", extract.parquet()).put("csv", extract.csv());
        }
        final ArrayNode offsets = manifest.putArray("input_offsets");
        snapshot.offsets().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<TopicPartition, Long> entry) -> entry.getKey().topic())
                        .thenComparingInt(entry -> entry.getKey().partition()))
                .forEach(entry -> offsets.addObject().put("topic", entry.getKey().topic())
                        .put("partition", entry.getKey().partition()).put("next_offset", entry.getValue()));
        try {
            json.writeValue(file.toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
