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

    private ChildJava() {
    }

    /** The command line of {@code mainClass} with the given heap option ({@code -Xmx512m}) and arguments. */
    public static List<String> command(final String heap, final String mainClass, final String... args) {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java, heap, "-cp", classPath(), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * This JVM's class path, with the {@code lib/} folder beside a launcher jar: a jar's manifest lists only
     * what it was built against, and Kafka's tools are needed at run time alone.
     */
    public static String classPath() {
        final List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)));
        for (final String entry : List.copyOf(entries)) {
            final Path lib = Path.of(entry).toAbsolutePath().resolveSibling("lib");
            if (entry.endsWith(".jar") && Files.isDirectory(lib)) {
                entries.add(lib + File.separator + "*");
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
