package org.csphub.producers.benchmark;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's side in a JVM of its own, on this JVM's runtime and class path, so that its heap
 * limit is its own and Kafka's performance tools run exactly as shipped.
 */
public final class ChildJava {

    private static final String BENCH_LIB = "bench-lib";

    private ChildJava() {
    }

    /** The command line of {@code mainClass} with the given heap option ({@code -Xmx512m}) and arguments. */
    public static List<String> command(final String heap, final String mainClass, final String... args) {
        return command(heap, classPath(), mainClass, args);
    }

    /**
     * The command line of one of Kafka's own performance tools ({@code org.apache.kafka.tools.ProducerPerformance},
     * {@code ConsumerPerformance}): as {@link #command}, with the benchmark's libraries added, which the hub does
     * not ship on its own class path.
     */
    public static List<String> kafkaTool(final String heap, final String mainClass, final String... args) {
        return command(heap, toolClassPath(), mainClass, args);
    }

    private static List<String> command(final String heap, final String classPath, final String mainClass,
                                        final String... args) {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java, heap, "-cp", classPath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** This JVM's class path: the launcher jar, whose manifest names the hub's libraries in {@code lib/}. */
    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * {@link #classPath()} with the {@code bench-lib/} folder beside the launcher jar, where the build puts Kafka's
     * tools (kafka-tools): the benchmarks alone run them, so they stay off the hub's own class path. Run from the
     * build's classes instead of the jar, the tools are on this JVM's class path already (provided scope).
     */
    private static String toolClassPath() {
        final List<String> entries = new ArrayList<>(List.of(classPath().split(File.pathSeparator)));
        for (final String entry : List.copyOf(entries)) {
            final Path benchLib = Path.of(entry).toAbsolutePath().resolveSibling(BENCH_LIB);
            if (entry.endsWith(".jar") && Files.isDirectory(benchLib)) {
                entries.add(benchLib + File.separator + "*");
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Runs a command to its end and returns what it printed; fails when it fails. */
    public static String run(final List<String> command) throws Exception {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(command.get(4) + " failed:\n" + output);
        }
        return output;
    }
}
