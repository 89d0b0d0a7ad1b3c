package org.csphub.hub;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csphub.embedded.EmbeddedStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub bench stack}: how long the embedded broker and registry take to be ready together. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Starts and stops the embedded stack several times, on fresh storage (cold) and on the "
                + "storage of the previous run (warm), and prints the time until both answer.")
final class StackBenchmark implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "5", description = "Starts of each kind (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where to keep the runs' storage (default: a new temporary folder).")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("csp-hub-bench");
        final List<Long> cold = new ArrayList<>();
        final List<Long> warm = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            final Path dir = work.resolve("run-" + run);
            cold.add(startAndStop(dir));
            warm.add(startAndStop(dir));
            out.printf("run %d: cold %d ms, warm %d ms%n", run, cold.get(run - 1), warm.get(run - 1));
            out.flush();
        }
        out.printf("embedded stack ready (broker + registry), %d runs, Java %s, %d cores:%n", runs,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        out.printf("  cold start (fresh storage): median %d ms, min %d ms, max %d ms%n", median(cold),
                Collections.min(cold), Collections.max(cold));
        out.printf("  warm start (reused storage): median %d ms, min %d ms, max %d ms%n", median(warm),
                Collections.min(warm), Collections.max(warm));
        return 0;
    }

    private static long startAndStop(final Path dir) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(dir, 0, 0, Map.of(),
                Duration.ofSeconds(120)))) {
            return stack.startMillis();
        }
    }

    static long median(final List<Long> values) {
        final List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
