package org.csphub.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a Java runtime of at least a given feature version for a child process: the running JVM when
 * it is new enough, otherwise {@code CSP_HUB_JAVA_HOME}, {@code JAVA_HOME} and the folders where JDKs
 * are usually installed (the newest one found wins).
 */
public final class JavaRuntime {

    private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"?(\\d+)", Pattern.MULTILINE);

    private final Path home;
    private final int featureVersion;

    private JavaRuntime(final Path home, final int featureVersion) {
        this.home = home;
        this.featureVersion = featureVersion;
    }

    public Path home() {
        return home;
    }

    public int featureVersion() {
        return featureVersion;
    }

    public Path javaExecutable() {
        return home.resolve("bin").resolve("java");
    }

    public static JavaRuntime current() {
        return new JavaRuntime(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /** The running JVM if it is at least {@code minimum}, otherwise the newest suitable JDK found. */
    public static JavaRuntime atLeast(final int minimum) {
        final JavaRuntime current = current();
        if (current.featureVersion >= minimum) {
            return current;
        }
        return candidates().stream()
                .flatMap(home -> probe(home).stream())
                .filter(runtime -> runtime.featureVersion >= minimum)
                .max(Comparator.comparingInt(JavaRuntime::featureVersion))
                .orElseThrow(() -> new IllegalStateException("No Java " + minimum + " or newer was found. "
                        + "Install one, or point CSP_HUB_JAVA_HOME or JAVA_HOME at it. Looked in: " + candidates()));
    }

    static List<Path> candidates() {
        final List<Path> homes = new ArrayList<>();
        for (final String variable : List.of("CSP_HUB_JAVA_HOME", "JAVA_HOME")) {
            final String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                homes.add(Path.of(value));
            }
        }
        final String user = System.getProperty("user.home");
        final List<Path> parents = List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
                Path.of("/opt"), Path.of(user, ".sdkman", "candidates", "java"), Path.of(user, ".jdks"),
                Path.of("/Library/Java/JavaVirtualMachines"));
        for (final Path parent : parents) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> children = Files.list(parent)) {
                children.sorted().forEach(child -> {
                    homes.add(child);
                    homes.add(child.resolve("Contents").resolve("Home"));
                });
            } catch (IOException e) {
                // an unreadable folder is simply not a candidate
            }
        }
        return homes;
    }

    static Optional<JavaRuntime> probe(final Path home) {
        final Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            final Matcher matcher = RELEASE_VERSION.matcher(Files.readString(release));
            if (!matcher.find()) {
                return Optional.empty();
            }
            int version = Integer.parseInt(matcher.group(1));
            if (version == 1) {
                version = 8; // "1.8.0_x"
            }
            return Optional.of(new JavaRuntime(home, version));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "Java " + featureVersion + " at " + home;
    }
}
