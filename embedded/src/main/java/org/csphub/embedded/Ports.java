package org.csphub.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports, for servers asked to start on port 0. A port is handed out once per process: the
 * operating system may offer a port again as soon as the probe closes it, and two listeners of one
 * server (a broker's client and controller listeners) must not be given the same one.
 */
final class Ports {

    /** The ports handed out so far; a few per server started, so it stays small. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 100;

    private Ports() {
    }

    static int freeIfZero(final int port) {
        if (port != 0) {
            return port;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            final int free = probe();
            if (HANDED_OUT.add(free)) {
                return free;
            }
        }
        throw new IllegalStateException("No free port on the loopback interface that was not handed out before, after "
                + ATTEMPTS + " attempts");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback interface", e);
        }
    }

    /** Whether this process could listen on {@code port} of the loopback interface now. */
    static boolean isFree(final int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
