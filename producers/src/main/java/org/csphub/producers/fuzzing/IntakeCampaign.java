package org.csphub.producers.fuzzing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.csphub.config.HubConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the requests of {@link IntakeInputs} to an HTTP intake from a few clients at once, each request
 * with a deadline, and keeps every answer. {@link CampaignCheck} then compares the answers with what
 * reached the topics.
 */
public final class IntakeCampaign {

    /** The answer of a request that got none before its deadline. */
    public static final int NO_ANSWER_IN_TIME = -1;
    /** The answer of a request whose connection failed. */
    public static final int CONNECTION_FAILED = -2;

    private static final Logger LOG = LoggerFactory.getLogger(IntakeCampaign.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Duration deadline;
    private final int clients;
    private final HttpClient http;

    /**
     * A campaign against the intake at {@code base} (e.g. {@code http://127.0.0.1:8080}), from
     * {@code clients} clients at once, each request answered within {@code deadline} or counted as unanswered.
     */
    public IntakeCampaign(final URI base, final Duration deadline, final int clients) {
        this.base = base;
        this.deadline = deadline;
        this.clients = clients;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(deadline).build();
    }

    /**
     * The settings the campaign's intake runs with over the configuration's own: its body limit, and a rate
     * that lets every request through (a refusal for the rate is not what the campaign looks for).
     */
    public static Map<String, String> intakeSettings() {
        return Map.of(HubConfig.INTAKE_HTTP_MAX_BYTES, String.valueOf(IntakeInputs.MAX_BODY_BYTES),
                HubConfig.INTAKE_HTTP_RATE_PER_MINUTE, "100000000");
    }

    /** One rejected row as the answer lists it. */
    public record AnsweredRejection(long line, String rawText, List<String> codes) {

        public AnsweredRejection {
            codes = List.copyOf(codes);
        }
    }

    /**
     * What came back for one request: the status ({@link #NO_ANSWER_IN_TIME}, {@link #CONNECTION_FAILED}),
     * how long it took, and for a 200 the summary's counts and first rejections.
     */
    public record Answer(IntakeInput input, int status, long millis, String error, long rowsRead, long accepted,
            long rejected, List<AnsweredRejection> rejections) {

        public Answer {
            rejections = List.copyOf(rejections);
        }
    }

    /** Sends requests {@code 0 … count-1} of {@code inputs}, and returns their answers in that order. */
    public List<Answer> run(final IntakeInputs inputs, final int count) throws InterruptedException {
        final Answer[] answers = new Answer[count];
        final AtomicInteger next = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(clients, task -> {
            final Thread thread = new Thread(task, "intake-campaign-client");
            thread.setDaemon(true);
            return thread;
        });
        try {
            final List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int index = next.getAndIncrement(); index < count; index = next.getAndIncrement()) {
                        final IntakeInput input = inputs.input(index);
                        answers[index] = send(input);
                        if ((index + 1) % 500 == 0) {
                            LOG.info("Intake campaign: {} of {} requests sent", index + 1, count);
                        }
                    }
                }));
            }
            for (final Future<?> client : running) {
                try {
                    client.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("A campaign client failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return Arrays.asList(answers);
    }

    private Answer send(final IntakeInput input) {
        final long start = System.nanoTime();
        try {
            if (input.declaredLength() >= 0) {
                return answer(input, declaredWithoutBody(input), start, null, null);
            }
            final HttpRequest.Builder request = HttpRequest.newBuilder(uriOf(input)).timeout(deadline)
                    .header("X-Request-Id", input.requestId());
            if (input.token() != null) {
                request.header("Authorization", "Bearer " + input.token());
            }
            if (input.contentType() != null) {
                request.header("Content-Type", input.contentType());
            }
            final byte[] body = input.body();
            request.POST(input.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return answer(input, response.statusCode(), start, response.body(), null);
        } catch (HttpTimeoutException | SocketTimeoutException e) {
            return answer(input, NO_ANSWER_IN_TIME, start, null, e.toString());
        } catch (IOException e) {
            return answer(input, CONNECTION_FAILED, start, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return answer(input, CONNECTION_FAILED, start, null, e.toString());
        }
    }

    private URI uriOf(final IntakeInput input) {
        return base.resolve("/api/v1/feeds/" + input.feedName());
    }

    /** A request that declares a length and sends no body: the status line of the answer, read within the deadline. */
    private int declaredWithoutBody(final IntakeInput input) throws IOException {
        final URI uri = uriOf(input);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) deadline.toMillis());
            socket.setSoTimeout((int) deadline.toMillis());
            final StringBuilder head = new StringBuilder("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                    .append("X-Request-Id: ").append(input.requestId()).append("\r\n")
                    .append("Content-Length: ").append(input.declaredLength()).append("\r\n");
            if (input.token() != null) {
                head.append("Authorization: Bearer ").append(input.token()).append("\r\n");
            }
            if (input.contentType() != null) {
                head.append("Content-Type: ").append(input.contentType()).append("\r\n");
            }
            final OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final long end = System.nanoTime() + deadline.toNanos();
            final InputStream in = socket.getInputStream();
            final StringBuilder status = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                status.append((char) b);
                if (System.nanoTime() > end) {
                    throw new SocketTimeoutException("no status line within " + deadline);
                }
            }
            final String[] parts = status.toString().trim().split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: '" + status + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }

    private static Answer answer(final IntakeInput input, final int status, final long start, final String body,
            final String error) {
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        final IntakeInput kept = input.withoutBody();
        if (status != 200 || body == null) {
            return new Answer(kept, status, millis, error, 0, 0, 0, List.of());
        }
        try {
            final JsonNode summary = JSON.readTree(body);
            final List<AnsweredRejection> rejections = new ArrayList<>();
            for (final JsonNode row : summary.path("firstRejections")) {
                final List<String> codes = new ArrayList<>();
                row.path("reasons").forEach(reason -> codes.add(reason.path("code").asText()));
                rejections.add(new AnsweredRejection(row.path("line").asLong(), row.path("rawText").asText(), codes));
            }
            return new Answer(kept, status, millis, null, summary.path("rowsRead").asLong(),
                    summary.path("accepted").asLong(), summary.path("rejected").asLong(), rejections);
        } catch (IOException e) {
            return new Answer(kept, status, millis, "the answer is not a summary: " + e.getMessage(), 0, 0, 0,
                    List.of());
        }
    }
}
