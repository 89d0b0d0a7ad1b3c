package org.csphub.hub;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.hub.operations.IntakeMetrics;
import org.csphub.hub.server.ProcessEndpoints;
import org.csphub.producers.fuzzing.CampaignCheck;
import org.csphub.producers.fuzzing.CampaignReport;
import org.csphub.producers.fuzzing.IntakeCampaign;
import org.csphub.producers.fuzzing.IntakeInputs;
import org.csphub.producers.http.IntakeRoutes;
import org.csphub.producers.intake.FeedPublisher;
import org.csphub.producers.intake.FeedTopics;
import org.csphub.producers.intake.IntakeService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hub bench intake-fuzz}: the HTTP intake fuzzing campaign of {@code HttpIntakeFuzzIT} at any
 * size and seed, against the intake as {@code hub serve} runs it on a fresh embedded stack.
 */
@Command(name = "intake-fuzz", mixinStandardHelpOptions = true,
        description = "Starts the embedded stack and the HTTP intake as hub serve runs it, sends it generated requests "
                + "(mutated CSV and XLSX exports of the four feeds, damaged and bomb-like workbooks, wrong tokens, feeds "
                + "and content types, bodies over the limit) from a few clients at once, reads the topics back, and "
                + "prints the answers by status, the slowest and median answer, the rows accepted and rejected, and "
                + "the rows lost and duplicated.")
final class IntakeFuzzBenchmark implements Callable<Integer> {

    @Option(names = "--inputs", defaultValue = "10000", paramLabel = "N", description = "Requests (default ${DEFAULT-VALUE}).")
    int inputs;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "The campaign's seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--clients", defaultValue = "4", paramLabel = "N",
            description = "Requests in flight at once (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--deadline", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long a client waits for an answer (default ${DEFAULT-VALUE}).")
    int deadlineSeconds;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the stack keeps its storage (default: a new temporary folder).")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final Path work = workDir != null ? Files.createDirectories(workDir)
                : Files.createTempDirectory("csp-hub-intake-fuzz");
        try (EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(work.resolve("stack"), 0, 0, Map.of(),
                Duration.ofSeconds(120)))) {
            final Map<String, String> settings = new HashMap<>(IntakeCampaign.intakeSettings());
            settings.put(HubConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            settings.put(HubConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
            settings.put(HubConfig.DATA_DIR, work.resolve("state").toString());
            settings.put(HubConfig.IDVA_CLIENT_KEY, "intake-fuzz-campaign-client-key");
            final HubConfig config = HubConfig.load(Optional.empty(), Map.of(), settings);
            TopicSetup.ensure(config);
            final String prefix = "fz" + seed;
            final List<IntakeCampaign.Answer> answers;
            try (FeedPublisher publisher = FeedPublisher.connect(config, "hub-serve")) {
                // as hub serve builds it, with the campaign's agencies as the access file
                final IntakeService intake = IntakeService.of(config, publisher);
                final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                final IntakeRoutes routes = IntakeRoutes.fromConfig(config, intake, IntakeInputs.accessPolicy())
                        .withListener(new IntakeMetrics(registry)::record);
                try (ProcessEndpoints endpoints = ProcessEndpoints.start(config, 0, registry,
                        List.of(routes::addRoutes))) {
                    out.printf("Intake campaign: %,d requests, seed %d, %d clients, %d s deadline, Java %s, %d cores%n",
                            inputs, seed, clients, deadlineSeconds, Runtime.version(),
                            Runtime.getRuntime().availableProcessors());
                    out.flush();
                    answers = new IntakeCampaign(URI.create("http://" + config.get(HubConfig.HTTP_HOST) + ":"
                            + endpoints.port()), Duration.ofSeconds(deadlineSeconds), clients)
                            .run(new IntakeInputs(seed, prefix), inputs);
                }
            }
            final CampaignReport report = new CampaignCheck(config, FeedTopics::of, prefix).check(answers);
            report.print(out);
        }
        return 0;
    }
}
