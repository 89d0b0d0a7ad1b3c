package org.csphub.hub;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hub bench}: benchmark harnesses that print figures (never pass/fail). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print measured figures for BENCHMARKS.md.",
        subcommands = {StackBenchmark.class, PublishBenchmarkCommand.class, IntakeFuzzBenchmark.class,
                DisclosureBenchmark.class, FaultsBenchmark.class})
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
