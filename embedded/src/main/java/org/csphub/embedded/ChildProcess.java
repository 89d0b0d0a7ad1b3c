package org.csphub.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server the embedded stack runs as a child JVM: its output goes to a log file, its pid to a pid
 * file so that a later start can end one left behind, and it is stopped gracefully (then forcibly)
 * on close.
 */
final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    static final String MARKER = "-Dcsphub.embedded=";

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path pidFile;

    private ChildProcess(final String name, final Process process, final Path logFile, final Path pidFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /**
     * Starts {@code java [jvmOptions] -cp classPath ParentWatchdog mainClass args}, after ending any
     * process of the same name that an earlier run on the same folder left behind.
     */
    static ChildProcess startJava(final String name, final JavaRuntime java, final List<String> jvmOptions,
            final String classPath, final String mainClass, final List<String> args, final Path workDir)
            throws IOException {
        Files.createDirectories(workDir);
        final Path pidFile = workDir.resolve(name + ".pid");
        final Path logFile = workDir.resolve(name + ".log");
        endLeftover(name, pidFile);
        final List<String> command = new ArrayList<>();
        command.add(java.javaExecutable().toString());
        command.add(MARKER + name);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(ParentWatchdog.class.getName());
        command.add(mainClass);
        command.addAll(args);
        LOG.debug("Starting {}: {}", name, command);
        final Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
        return new ChildProcess(name, process, logFile, pidFile);
    }

    private static void endLeftover(final String name, final Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        final String text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
        Files.deleteIfExists(pidFile);
        final Optional<ProcessHandle> leftover;
        try {
            leftover = ProcessHandle.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return;
        }
        leftover.filter(handle -> handle.info().arguments()
                        .map(arguments -> List.of(arguments).contains(MARKER + name)).orElse(false))
                .ifPresent(handle -> {
                    LOG.warn("Ending the {} (pid {}) that an earlier run left behind", name, handle.pid());
                    handle.destroy();
                    handle.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> {
                        handle.destroyForcibly();
                        return handle;
                    }).join();
                });
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** The last lines of the child's log, for error messages. */
    String logTail(final int lines) {
        try {
            final List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Asks the child to stop gracefully (SIGTERM) without waiting; {@link #close()} then waits for it. */
    void requestStop() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** Ends the child at once, as a crash would: no graceful shutdown. */
    void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(30)) {
                LOG.warn("The {} (pid {}) did not stop within 30 s; killing it", name, process.pid());
                process.destroyForcibly();
                waitFor(10);
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", pidFile, e);
        }
    }

    private boolean waitFor(final int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
