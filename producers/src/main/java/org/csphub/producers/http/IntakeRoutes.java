package org.csphub.producers.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.csphub.access.AccessPolicy;
import org.csphub.access.Agency;
import org.csphub.config.HubConfig;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.IntakeService;
import org.csphub.producers.intake.IntakeSummary;
import org.csphub.producers.intake.PublishFailedException;
import org.csphub.topics.Feed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/feeds/{feed}}: an agency pushes one export (CSV as {@code text/csv}, or XLSX)
 * with its bearer token and gets the intake summary back as JSON. The agencies, their feeds and the
 * SHA-256 of their tokens come from the access file. Refusals: 401 without a known token, 429 with
 * {@code Retry-After} over the agency's rate, 404 for an unknown feed, 403 for a feed the agency may
 * not publish, 415 for another content type, 413 for a body over the configured size, 422 for a file
 * refused whole; 503 when Kafka did not take some rows for a reason that passes (500 for one that does
 * not), with the rows not stored by line. Every authenticated request counts against its agency's rate, whatever
 * the answer. Each refusal is logged at WARN with the agency when known, the feed, the remote address
 * and the reason, never with the token.
 */
public final class IntakeRoutes {

    public static final String PATH = "/api/v1/feeds/{feed}";
    private static final Logger LOG = LoggerFactory.getLogger(IntakeRoutes.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern UNPRINTABLE = Pattern.compile("\\p{Cntrl}");
    private static final String BEARER = "bearer ";
    private static final String UNKNOWN = "-";
    private static final IntakeListener NO_LISTENER = (feed, summary, bytes) -> { };

    private final IntakeService intake;
    private final AccessPolicy access;
    private final long maxBodyBytes;
    private final AgencyRateLimiter rate;
    private final IntakeListener listener;
    private final ObjectMapper json = new ObjectMapper();

    public IntakeRoutes(final IntakeService intake, final AccessPolicy access, final long maxBodyBytes,
            final AgencyRateLimiter rate) {
        this(intake, access, maxBodyBytes, rate, NO_LISTENER);
    }

    private IntakeRoutes(final IntakeService intake, final AccessPolicy access, final long maxBodyBytes,
            final AgencyRateLimiter rate, final IntakeListener listener) {
        this.intake = intake;
        this.access = access;
        this.maxBodyBytes = maxBodyBytes;
        this.rate = rate;
        this.listener = listener;
    }

    /**
     * The routes over the configured access file ({@code access.file}, or {@code access.yaml} in the data
     * folder), body limit ({@code intake.http.max.bytes}) and rate ({@code intake.http.rate.per.minute}).
     *
     * @throws org.csphub.access.InvalidAccessPolicyException when the access file is inconsistent, with its line
     */
    public static IntakeRoutes fromConfig(final HubConfig config, final IntakeService intake) {
        return fromConfig(config, intake, AccessPolicy.load(config.accessFile(), intake.catalog()));
    }

    /** The routes over {@code access}, with the configured body limit and rate. */
    public static IntakeRoutes fromConfig(final HubConfig config, final IntakeService intake,
            final AccessPolicy access) {
        return new IntakeRoutes(intake, access, Long.parseLong(config.get(HubConfig.INTAKE_HTTP_MAX_BYTES).trim()),
                new AgencyRateLimiter(config.getInt(HubConfig.INTAKE_HTTP_RATE_PER_MINUTE), System::nanoTime));
    }

    /** The same routes (sharing their rate limits) that also tell {@code next} of each accepted export. */
    public IntakeRoutes withListener(final IntakeListener next) {
        final IntakeListener current = listener;
        return new IntakeRoutes(intake, access, maxBodyBytes, rate, (feed, summary, bytes) -> {
            current.accepted(feed, summary, bytes);
            next.accepted(feed, summary, bytes);
        });
    }

    /**
     * The server settings the routes rely on. Jetty holds back a request that declares a body until the
     * body's first bytes arrive, so a client that declares more than the limit and sends nothing would
     * get its 413 only at the idle timeout; dispatched on its headers, it is refused at once (and, its
     * body unread, the connection is then closed).
     */
    public static void configureServer(final JavalinConfig config) {
        config.jetty.modifyHttpConfiguration(http -> http.setDelayDispatchUntilContent(false));
    }

    public void addRoutes(final Javalin app) {
        app.post(PATH, this::handle);
    }

    private void handle(final Context ctx) throws IOException {
        final String feedName = ctx.pathParam("feed");
        final String authorization = ctx.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            ctx.header("WWW-Authenticate", "Bearer");
            refuse(ctx, 401, "A bearer token is required (Authorization: Bearer <token>)", UNKNOWN, feedName);
            return;
        }
        final Optional<Agency> agency = access.agencyForToken(authorization.substring(BEARER.length()).trim());
        if (agency.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            refuse(ctx, 401, "The token is not known", UNKNOWN, feedName);
            return;
        }
        final String name = agency.get().name();
        final Duration wait = rate.acquire(name);
        if (!wait.isZero()) {
            final long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            refuse(ctx, 429, name + " may send " + rate.perMinute() + " requests a minute ("
                    + HubConfig.INTAKE_HTTP_RATE_PER_MINUTE + "); retry after " + seconds + " s", name, feedName);
            return;
        }
        final Feed feed;
        try {
            feed = intake.catalog().feed(feedName);
        } catch (IllegalArgumentException e) {
            refuse(ctx, 404, e.getMessage(), name, feedName);
            return;
        }
        if (!agency.get().mayPublish(feed)) {
            refuse(ctx, 403, name + " may not publish the " + feed.slug() + " feed", name, feedName);
            return;
        }
        final Optional<ExportFormat> format = ExportFormat.ofContentType(ctx.contentType());
        if (format.isEmpty()) {
            refuse(ctx, 415, "Send the export as text/csv or " + ExportFormat.XLSX_CONTENT_TYPE + ", not "
                    + ctx.contentType(), name, feedName);
            return;
        }
        // refused on the declared length before a byte is read; a chunked body is read no further than the limit
        final long declared = ctx.req().getContentLengthLong();
        final Optional<byte[]> body = declared > maxBodyBytes ? Optional.empty() : readAtMost(ctx.req().getInputStream());
        if (body.isEmpty()) {
            refuse(ctx, 413, "The body is larger than " + maxBodyBytes + " bytes (" + HubConfig.INTAKE_HTTP_MAX_BYTES
                    + "); split the export", name, feedName);
            return;
        }
        final String requestId = Optional.ofNullable(ctx.header("X-Request-Id"))
                .filter(id -> REQUEST_ID.matcher(id).matches()).orElseGet(() -> UUID.randomUUID().toString());
        final String source = "http:" + name.replaceAll("\\s+", "-") + ":" + requestId;
        final IntakeSummary summary;
        try {
            summary = intake.ingest(feed, source, new ByteArrayInputStream(body.get()), format.get());
        } catch (IllegalStateException e) {
            refuse(ctx, 503, e.getMessage(), name, feedName);
            return;
        } catch (PublishFailedException e) {
            notStored(ctx, e, name, feedName);
            return;
        }
        ctx.status(summary.refused() ? 422 : 200).contentType("application/json").result(write(summary));
        if (!summary.refused()) {
            tell(feed, summary, body.get().length);
        }
    }

    /**
     * Kafka did not take some of the export's records: 503 when sending again later can succeed (a broker
     * or the registry unavailable, a timeout), else 500, a fault of the hub and not of the export. The
     * answer lists the rows not stored by line, beside the summary of the rest, which are stored.
     */
    private void notStored(final Context ctx, final PublishFailedException failure, final String agency,
            final String feed) {
        final int status = failure.retriable() ? 503 : 500;
        LOG.warn("HTTP intake answered {}: agency={}, feed={}, remote={}, reason={}", status, printable(agency),
                printable(feed), ctx.req().getRemoteAddr(), printable(failure.getMessage()));
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", status);
        answer.put("error", failure.retriable()
                ? "The hub could not store every row just now; send the export again later"
                : "The hub could not store every row, through no fault of the export; its operator has the details");
        answer.put("resend", "Sending the whole export again is safe: a row sent again replaces itself, and no row"
                + " is counted twice");
        failure.summary().ifPresent(summary -> {
            answer.put("stored", summary.stored());
            answer.put("notStored", summary.notStored());
            answer.put("notStoredRows", summary.notStoredRows());
            answer.put("summary", summary);
        });
        if (failure.retriable()) {
            ctx.header("Retry-After", "30");
        }
        ctx.status(status).contentType("application/json").result(write(answer));
    }

    private void tell(final Feed feed, final IntakeSummary summary, final long bytes) {
        try {
            listener.accepted(feed, summary, bytes);
        } catch (RuntimeException e) {
            // the records are stored and the agency gets its answer; a failing count must not turn that into a 500
            LOG.warn("An intake listener failed on {}: {}", summary.source(), e.toString());
        }
    }

    /** The body, or empty when it is longer than the limit (a chunked body has no declared length). */
    private Optional<byte[]> readAtMost(final InputStream in) throws IOException {
        final byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        return bytes.length > maxBodyBytes ? Optional.empty() : Optional.of(bytes);
    }

    private void refuse(final Context ctx, final int status, final String message, final String agency,
            final String feed) {
        LOG.warn("HTTP intake refused {}: agency={}, feed={}, remote={}, reason={}", status, printable(agency),
                printable(feed), ctx.req().getRemoteAddr(), printable(message));
        final Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("error", message);
        ctx.status(status).contentType("application/json").result(write(error));
    }

    /** Values from the request reach the log without line breaks, so a request cannot forge log lines. */
    private static String printable(final String value) {
        return value == null ? UNKNOWN : UNPRINTABLE.matcher(value).replaceAll("?");
    }

    private String write(final Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }
}
