package org.csphub.sinks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal client of the Chrome DevTools Protocol over the browser's WebSocket, for tests (this module's
 * and, through the test jar, the hub's).
 */
public final class DevToolsSession implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();

    private DevToolsSession(final URI browser) throws Exception {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(browser, this).get(10, TimeUnit.SECONDS);
    }

    public static DevToolsSession connect(final URI browser) throws Exception {
        return new DevToolsSession(browser);
    }

    /** Sends a command (to a page session when {@code sessionId} is not null) and waits for its result. */
    public JsonNode send(final String method, final ObjectNode params, final String sessionId) throws Exception {
        final int id = ids.incrementAndGet();
        final ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params == null ? JSON.createObjectNode() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        final CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        final JsonNode reply = answer.get(30, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    public static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Every event received so far. */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
        partial.append(data);
        if (last) {
            try {
                final JsonNode message = JSON.readTree(partial.toString());
                if (message.has("id")) {
                    final CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                    if (answer != null) {
                        answer.complete(message);
                    }
                } else {
                    events.add(message);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Unreadable DevTools message", e);
            } finally {
                partial.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
    }
}
