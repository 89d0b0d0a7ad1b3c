package org.csphub.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests one real broker and registry per test JVM: the first test that asks starts
 * them, and they stop when the test run ends. Tests keep out of each other's way by their topic and
 * subject names, not by separate servers.
 *
 * <p>Use with {@code @ExtendWith(EmbeddedStackExtension.class)} and a parameter of type
 * {@link EmbeddedStack} in a {@code @BeforeAll} or test method.
 */
public final class EmbeddedStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedStackExtension.class);

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedStack.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.start(), SharedStack.class).stack;
    }

    /** The per-JVM stack; JUnit closes it when the root context closes, at the end of the run. */
    static final class SharedStack implements ExtensionContext.Store.CloseableResource {

        final EmbeddedStack stack;

        private SharedStack(final EmbeddedStack stack) {
            this.stack = stack;
        }

        static SharedStack start() {
            try {
                return new SharedStack(EmbeddedStack.start(EmbeddedStack.Options.ephemeral(freshDataDir())));
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the embedded stack: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            stack.close();
        }
    }

    /** A new folder under the build's {@code target/it-work} (set by failsafe), never reused. */
    public static Path freshDataDir() {
        try {
            final Path work = Path.of(System.getProperty("csphub.test.work", "target/it-work"));
            Files.createDirectories(work);
            return Files.createTempDirectory(work.toAbsolutePath(), "stack-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
