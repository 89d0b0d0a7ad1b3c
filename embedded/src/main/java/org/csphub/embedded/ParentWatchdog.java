package org.csphub.embedded;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child process the embedded stack starts: it runs the real main class and ends
 * the child when the process that started it goes away, even if that process was killed outright
 * and never ran its shutdown hooks. This is what keeps a crashed hub from leaving a broker or a
 * registry behind.
 *
 * <p>It depends on nothing but the JDK, so that it can sit on the class path of a foreign
 * distribution (the registry's) without bringing anything else with it.
 */
public final class ParentWatchdog {

    private ParentWatchdog() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ParentWatchdog MAIN_CLASS [ARGS...]");
        }
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("csp-hub: the parent process " + parent.pid() + " has exited; stopping");
            System.exit(0);
        }));
        final Class<?> main = Class.forName(args[0]);
        final Method method = main.getMethod("main", String[].class);
        method.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
