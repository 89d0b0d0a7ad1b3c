package org.csphub.hub;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.csphub.config.HubConfig;
import org.csphub.contracts.CompatibilityRule;
import org.csphub.contracts.Contract;
import org.csphub.contracts.FamilySpec;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.FeedContractReader;
import org.csphub.contracts.SchemaHistoryCheck;
import org.csphub.contracts.ShippedContracts;
import org.csphub.hub.operations.FreshnessExpectations;
import org.csphub.serde.SchemaRegistryClient;
import org.csphub.serde.SchemaRegistryClient.Compatibility;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Topics;
import org.csphub.yaml.LocatedYamlException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub feeds}: the feeds the hub ships, and a feed contract file checked or turned into its Avro schema. */
@Command(name = "feeds", mixinStandardHelpOptions = true,
        description = "The feed contracts: list the hub's feeds (shipped and feeds.dir's), check a contract file (every error with "
                + "its file, line and column), or print the Avro schema a contract file produces. The format is "
                + "in docs/contracts.md.",
        subcommands = {FeedsCommand.ListFeeds.class, FeedsCommand.Check.class, FeedsCommand.SchemaOf.class})
final class FeedsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code hub feeds list}: each feed of the catalog, the shipped ones first. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the hub's feeds, the shipped ones and then those of the feeds folder (feeds.dir, "
                    + "--feeds-dir), marked as the partnership's own: slug, owning agency, freshness expected, "
                    + "columns, raw and metric topics, and the metrics of its family.")
    static final class ListFeeds implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final FeedCatalog catalog;
            try {
                catalog = FeedCatalog.of(connection.config());
            } catch (RuntimeException e) {
                // a contract of the feeds folder that does not read: its file, line and column
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            }
            for (final Feed feed : catalog.feeds()) {
                describe(feed.contract(), out);
                if (!catalog.isShipped(feed)) {
                    out.println("  the partnership's own feed, from " + catalog.placeOf(feed));
                }
            }
            return 0;
        }
    }

    /** {@code hub feeds check FILE...}: each file read as the hub reads it; exit 1 when any is refused. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Checks feed contract files. A file is refused with its file, line and column and what "
                    + "would be valid; a contract of a shipped feed is refused when its schema could not read "
                    + "the shipped one's records. With --registry, each schema is also checked against the "
                    + "versions the schema registry holds for the feed's raw topic. Exits 1 when any file is "
                    + "refused.")
    static final class Check implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Contract files (<slug>.yaml).")
        List<Path> files;

        @Option(names = "--registry", description = "Also check each schema against the schema registry's "
                + "latest version for the feed's raw topic (its own compatibility rule applies).")
        boolean registry;

        @Mixin
        ConnectionOptions connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final Optional<SchemaRegistryClient> client = registry
                    ? Optional.of(new SchemaRegistryClient(SchemaRegistryClient.Settings.of(
                            connection.config().get(HubConfig.SCHEMA_REGISTRY_URL))))
                    : Optional.empty();
            int refused = 0;
            for (final Path file : files) {
                final List<String> problems = new ArrayList<>();
                FeedContract contract = null;
                try {
                    contract = FeedContractReader.read(file);
                    problems.addAll(againstShipped(contract));
                    if (client.isPresent()) {
                        problems.addAll(againstRegistry(contract, client.get()));
                    }
                } catch (LocatedYamlException | UncheckedIOException e) {
                    problems.add(e.getMessage());
                } catch (AvroRuntimeException e) {
                    problems.add("the contract's Avro schema cannot be built: " + e.getMessage());
                }
                if (problems.isEmpty()) {
                    out.println(file + ": valid, feed " + contract.slug() + " (" + contract.columns().size()
                            + " columns, " + contract.family().counts().size() + " counts, raw topic "
                            + contract.rawTopic() + ", metric topic " + contract.family().topic() + ")");
                } else {
                    refused++;
                    problems.forEach(problem -> err.println(problem.startsWith(file.toString()) ? problem
                            : file + ": " + problem));
                }
            }
            err.flush();
            return refused == 0 ? 0 : 1;
        }

        /** A shipped feed's contract may evolve only so that its schema still reads the shipped one's records. */
        private static List<String> againstShipped(final FeedContract contract) {
            if (!ShippedContracts.SLUGS.contains(contract.slug())) {
                return List.of();
            }
            final Schema shipped = ShippedContracts.of(contract.slug()).avroSchema();
            return SchemaHistoryCheck.check(new Contract(contract.record().name(),
                    contract.avroSchema(), CompatibilityRule.BACKWARD), "shipped with the hub", shipped);
        }

        private static List<String> againstRegistry(final FeedContract contract, final SchemaRegistryClient client) {
            final String subject = Topics.valueSubject(contract.rawTopic());
            final Compatibility answer = client.checkCompatibility(subject, contract.avroSchema());
            if (answer.compatible()) {
                return List.of();
            }
            return List.of("the schema registry refuses this schema as the next version of " + subject + ": "
                    + (answer.messages().isEmpty() ? "incompatible" : String.join("; ", answer.messages())));
        }
    }

    /** {@code hub feeds schema FILE}: the Avro schema of a contract, as the intake registers it. */
    @Command(name = "schema", mixinStandardHelpOptions = true,
            description = "Prints the Avro schema (JSON) a feed contract file produces, as the intake registers "
                    + "it for the feed's raw topic. Exits 1 when the file is refused.")
    static final class SchemaOf implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "A contract file (<slug>.yaml).")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                spec.commandLine().getOut().println(FeedContractReader.read(file).avroSchema().toString(true));
                return 0;
            } catch (LocatedYamlException | UncheckedIOException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 1;
            } catch (AvroRuntimeException e) {
                spec.commandLine().getErr().println(file + ": the contract's Avro schema cannot be built: "
                        + e.getMessage());
                return 1;
            }
        }
    }

    private static void describe(final FeedContract feed, final PrintWriter out) {
        final FamilySpec family = feed.family();
        out.println(feed.slug() + ": " + feed.title());
        out.println("  owner " + feed.owner() + ", stale after " + feed.freshness() + " without a record (unless "
                + FreshnessExpectations.KEY_PREFIX + feed.slug() + " sets another)");
        out.println("  columns " + feed.columns().stream().map(column -> column.name()
                + (column.mayBeBlank() ? "?" : "")).collect(Collectors.joining(", ")));
        out.println("  topics " + feed.rawTopic() + " (" + feed.record().name() + "), " + feed.deadLetterTopic()
                + ", " + family.topic());
        final List<String> metrics = new ArrayList<>();
        family.counts().stream().filter(FamilySpec.Count::published).forEach(count -> metrics.add(count.name()));
        family.rates().forEach(rate -> metrics.add(rate.name()));
        family.perThousandResidents().forEach(rate -> metrics.add(rate.name()));
        family.wardShare().ifPresent(metrics::add);
        family.projection().ifPresent(projection -> metrics.add(projection.name()));
        out.println("  metrics " + String.join(", ", metrics) + " by "
                + family.levels().stream().map(level -> level.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
    }
}
