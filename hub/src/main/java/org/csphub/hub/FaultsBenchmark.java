package org.csphub.hub;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.csphub.hub.faults.FaultCampaign;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub bench faults}: a fault campaign over a replay of four feeds, and what it found. */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Replays generated exports of four feeds (corrections and retractions among them) through a "
                + "Kafka cluster, the registry, hub streams, hub sink postgres and PostgreSQL, injects faults drawn "
                + "from the seed (SIGKILL of a broker, the topologies, the sink or the registry; a stop of "
                + "PostgreSQL), then checks the raw topics, every metric against a fault-free recomputation, and "
                + "PostgreSQL against the topics. Prints the faults, their recovery times and the values checked "
                + "and wrong; exits 1 when a value is wrong.")
final class FaultsBenchmark implements Callable<Integer> {

    @Option(names = "--faults", defaultValue = "20", paramLabel = "N",
            description = "How many faults (default ${DEFAULT-VALUE}); from 5, each kind at least once.")
    int faults;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "The seed of the exports, the faults and their points (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--brokers", defaultValue = "3", paramLabel = "N", description = "Brokers (default ${DEFAULT-VALUE}).")
    int brokers;

    @Option(names = "--from", defaultValue = "2020-04", paramLabel = "YYYY-MM", description = "First month of the exports (default ${DEFAULT-VALUE}).")
    YearMonth from;

    @Option(names = "--to", defaultValue = "2021-03", paramLabel = "YYYY-MM", description = "Last month (default ${DEFAULT-VALUE}).")
    YearMonth to;

    @Option(names = "--corrections", defaultValue = "0.05", paramLabel = "SHARE",
            description = "Corrections and retractions, as a share of the rows (default ${DEFAULT-VALUE}).")
    double corrections;

    @Option(names = "--pause", defaultValue = "5", paramLabel = "SECONDS",
            description = "How long a killed broker or a stopped PostgreSQL stays down (default ${DEFAULT-VALUE}).")
    int pause;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the campaign keeps its storage and logs (default: a new temporary folder).")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (faults < 0 || brokers < 1) {
            throw new IllegalArgumentException("--faults needs 0 or more and --brokers 1 or more");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("csp-hub-faults");
        final FaultCampaign.Result result = new FaultCampaign(new FaultCampaign.Options(faults, seed, brokers, from, to,
                corrections, Duration.ofSeconds(pause), Duration.ofMinutes(10), work), line -> {
                    out.println("  " + line);
                    out.flush();
                }).run();
        out.print(result.report());
        out.flush();
        return result.wrong() == 0 ? 0 : 1;
    }

}
