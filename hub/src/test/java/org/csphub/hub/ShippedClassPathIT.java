package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The class path the build ships, as {@code bin/hub} runs it ({@code java -jar csp-hub.jar}: the jar and the
 * libraries its manifest names): no benchmark-only library on it, and Kafka's tools in {@code bench-lib} beside it.
 * An integration test because it reads what the package phase wrote.
 */
class ShippedClassPathIT {

    private static final Path TARGET = Path.of(System.getProperty("csphub.test.work")).getParent();
    private static final Path JAR = TARGET.resolve("csp-hub.jar");
    private static final Path BENCH_LIB = TARGET.resolve("bench-lib");
    private static final String PRODUCER_PERFORMANCE = "org.apache.kafka.tools.ProducerPerformance";

    @Test
    void shouldNameNoBenchmarkLibraryInTheJarsClassPath() throws IOException {
        final List<String> classPath = manifestClassPath();
        final List<String> benchLib = jarsIn(BENCH_LIB).stream().map(jar -> jar.getFileName().toString()).toList();

        assertThat(benchLib).as("bench-lib").anyMatch(name -> name.matches("kafka-tools-\\d.*\\.jar"));
        assertThat(classPath).as("the jar's Class-Path").isNotEmpty().allMatch(entry -> entry.startsWith("lib/"))
                .noneMatch(entry -> entry.matches("lib/kafka-tools-\\d.*\\.jar"))
                .noneMatch(entry -> benchLib.contains(entry.substring("lib/".length())));
    }

    @Test
    void shouldLoadKafkasToolsOnlyWithBenchLibAdded() throws Exception {
        final List<URL> product = new ArrayList<>(List.of(JAR.toUri().toURL()));
        for (final String entry : manifestClassPath()) {
            product.add(TARGET.resolve(entry).toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(product.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(Class.forName(HubCommand.class.getName(), false, loader)).isNotNull();
            assertThatThrownBy(() -> Class.forName(PRODUCER_PERFORMANCE, false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
        }

        final List<URL> withBenchLib = new ArrayList<>(product);
        for (final Path jar : jarsIn(BENCH_LIB)) {
            withBenchLib.add(jar.toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(withBenchLib.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(Class.forName(PRODUCER_PERFORMANCE, false, loader).getName()).isEqualTo(PRODUCER_PERFORMANCE);
        }
    }

    private static List<String> manifestClassPath() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            final String classPath = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            return classPath == null ? List.of() : List.of(classPath.trim().split("\\s+"));
        }
    }

    private static List<Path> jarsIn(final Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }
}
