package org.csphub.embedded;

import java.nio.file.Path;

/** A process that starts a stack, prints its children's pids and waits: the test kills it. */
public final class StackProcessForTests {

    private StackProcessForTests() {
    }

    public static void main(final String[] args) throws Exception {
        final EmbeddedStack stack = EmbeddedStack.start(EmbeddedStack.Options.ephemeral(Path.of(args[0])));
        System.out.println("PIDS " + stack.kafka().pid() + " " + stack.registry().pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
