package org.csphub.hub;

import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.csphub.geography.Geography;
import org.csphub.producers.synthetic.SyntheticExports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub generate}: synthetic exports of the four feeds, calibrated to the partnership's published figures. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes synthetic CSV exports of all four feeds for the default geography, calibrated to the "
                + "partnership's published figures; the same seed gives the same files.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM", description = "The first month.")
    YearMonth from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM",
            description = "The last month (at most the previous month: no date is in the future).")
    YearMonth to;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "The random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bad-rows", defaultValue = "0", paramLabel = "SHARE",
            description = "Extra faulty rows, as a share of the rows (e.g. 0.02).")
    double badRows;

    @Option(names = "--corrections", defaultValue = "0", paramLabel = "SHARE",
            description = "Corrections and retractions of a share of the rows, in <feed>.corrections.csv (e.g. 0.01).")
    double corrections;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        final var files = new SyntheticExports(Geography.defaults(), Clock.systemUTC())
                .write(new SyntheticExports.Options(from, to, seed, badRows, corrections), out);
        files.forEach(file -> spec.commandLine().getOut().println(file));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
