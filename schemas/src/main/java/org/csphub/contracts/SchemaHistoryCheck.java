package org.csphub.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks every contract against all its released versions, kept as
 * {@code history/<Contract>/v<N>.avsc}, with Avro's own {@link SchemaCompatibility}. Each problem
 * names the contract, the released version, the rule, the field and what is wrong, so that a
 * breaking change fails the build with a message a reviewer can act on.
 */
public final class SchemaHistoryCheck {

    private SchemaHistoryCheck() {
    }

    /** The problems of every contract against the history folder; empty when all evolve by their rules. */
    public static List<String> check(final List<Contract> contracts, final Path historyRoot) {
        final List<String> problems = new ArrayList<>();
        for (final Contract contract : contracts) {
            final Path folder = historyRoot.resolve(contract.name());
            if (!Files.isDirectory(folder)) {
                problems.add(contract.name() + ": no released version under " + folder
                        + "; copy the current schema there as v1.avsc when it is first released");
                continue;
            }
            for (final Path released : releasedVersions(folder)) {
                problems.addAll(check(contract, released.getFileName().toString().replace(".avsc", ""),
                        parse(released)));
            }
        }
        return problems;
    }

    /** The problems of {@code contract}'s current schema against one released version. */
    public static List<String> check(final Contract contract, final String version, final Schema released) {
        final List<String> problems = new ArrayList<>();
        describe(contract, version, "the new schema cannot read records written with " + version,
                SchemaCompatibility.checkReaderWriterCompatibility(contract.schema(), released), problems);
        if (contract.rule() == CompatibilityRule.FULL) {
            describe(contract, version, "consumers still on " + version + " cannot read records written with the new schema",
                    SchemaCompatibility.checkReaderWriterCompatibility(released, contract.schema()), problems);
        }
        return problems;
    }

    private static void describe(final Contract contract, final String version, final String consequence,
            final SchemaCompatibility.SchemaPairCompatibility result, final List<String> problems) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (final Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(contract.name() + " breaks the " + contract.rule() + " rule against released version "
                    + version + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + fieldOf(incompatibility) + ": " + incompatibility.getMessage() + " (" + consequence + ")");
        }
    }

    private static String fieldOf(final Incompatibility incompatibility) {
        final String message = incompatibility.getMessage();
        if (incompatibility.getType() == SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE) {
            return " (field '" + message + "')";
        }
        return "";
    }

    private static List<Path> releasedVersions(final Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(file -> Integer.parseInt(
                            file.getFileName().toString().replaceAll("\\D", ""))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder, e);
        }
    }

    private static Schema parse(final Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the released schema " + file, e);
        }
    }
}
