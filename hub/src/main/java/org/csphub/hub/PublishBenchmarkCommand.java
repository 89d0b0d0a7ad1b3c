package org.csphub.hub;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.csphub.config.HubConfig;
import org.csphub.producers.benchmark.PublishBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub bench publish}: the file intake's throughput beside Kafka's ProducerPerformance. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes a generated police-asb CSV through the intake (parsing, validation, Avro, idempotent "
                + "producer; 256 MiB heap) and runs Kafka's ProducerPerformance with records of the same size on the "
                + "same broker; prints rows/s of both and the intake's peak heap.")
final class PublishBenchmarkCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--rows", defaultValue = "1000000", paramLabel = "N", description = "Rows (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the CSV is written (default: <data dir>/bench).")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final PrintWriter out = spec.commandLine().getOut();
        final PublishBenchmark.Result result = new PublishBenchmark(config,
                workDir != null ? workDir : config.dataDir().resolve("bench")).run(rows, out);
        out.printf("hub publish (intake):     %,d rows in %.1f s = %,.0f rows/s, within a 256 MiB heap (-Xmx256m; "
                + "sum of the heap pools' peaks %.0f MiB)%n",
                result.rows(), result.intakeSeconds(), result.intakeRowsPerSecond(),
                result.intakePeakHeapBytes() / 1048576.0);
        out.printf("ProducerPerformance:      %,.0f records/s with %d-byte records (%s)%n",
                result.producerPerformanceRecordsPerSecond(), result.recordBytes(), result.producerPerformanceSummary());
        out.printf("Ratio:                    %.2f%n", result.intakeRowsPerSecond()
                / result.producerPerformanceRecordsPerSecond());
        out.flush();
        return 0;
    }
}
