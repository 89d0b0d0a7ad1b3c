package org.csphub.producers.fuzzing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.csphub.access.AccessPolicy;
import org.csphub.access.Agency;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The requests of an intake campaign, the same for the same seed: generated exports of the four feeds
 * as CSV and XLSX, valid or damaged byte by byte, in their structure or in their values; bomb-like and
 * damaged workbooks; wrong tokens, feeds and content types; bodies over the limit. The first requests
 * are the cases the first campaign found (see {@link #REGRESSION_CASES}).
 */
public final class IntakeInputs {

    /** The body limit the campaign's intake is configured with ({@code intake.http.max.bytes}). */
    public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
    /** The regression cases that open every campaign, in order. */
    public static final List<String> REGRESSION_CASES = List.of(
            "fire export with a 1 MiB value, beside a police export sent at the same time",
            "police export sent at the same time as a fire export with a 1 MiB value",
            "police export with a 1 MiB incident id",
            "ambulance export with a 1 MiB unknown ward name",
            "IDVA export of 30 rows with a stray quote in the tenth",
            "declared Content-Length of 20 MiB with no body");

    private static final Feed POLICE_ASB = FeedCatalog.shipped().feed("police-asb");
    private static final Feed AMBULANCE_CALLOUTS = FeedCatalog.shipped().feed("ambulance-callouts");
    private static final Feed IDVA_REFERRALS = FeedCatalog.shipped().feed("idva-referrals");
    private static final Feed FIRE_INCIDENTS = FeedCatalog.shipped().feed("fire-incidents");
    /** The feeds a campaign sends exports of. */
    public static final List<Feed> FEEDS = List.of(POLICE_ASB, AMBULANCE_CALLOUTS, IDVA_REFERRALS, FIRE_INCIDENTS);

    private static final Map<Feed, String> AGENCY_NAMES = Map.of(POLICE_ASB, "Constabulary",
            AMBULANCE_CALLOUTS, "Ambulance Trust", IDVA_REFERRALS, "IDVA Service", FIRE_INCIDENTS,
            "Fire Service");
    private static final Map<Feed, List<String>> HEADERS = Map.of(
            POLICE_ASB, List.of("incident_id", "reported_at", "category", "ward", "lsoa"),
            AMBULANCE_CALLOUTS, List.of("callout_id", "called_at", "ward", "lsoa", "sex", "age"),
            IDVA_REFERRALS, List.of("referral_id", "referred_on", "district", "strand", "dash_score",
                    "risk_level", "engaged", "client_ref", "male", "disability", "lgbt"),
            FIRE_INCIDENTS, List.of("incident_id", "occurred_at", "incident_type", "cause", "ward", "district"));
    /** The columns compared between a sent row and its published record, beside the id. */
    public static final Map<Feed, List<String>> KEY_FIELDS = Map.of(POLICE_ASB, List.of("category"),
            AMBULANCE_CALLOUTS, List.of("sex"), IDVA_REFERRALS, List.of("strand"),
            FIRE_INCIDENTS, List.of("incident_type", "cause"));
    private static final List<String> WARDS = List.of("Abbey", "Arbury", "Castle", "Cherry Hinton", "Coleridge",
            "East Chesterton", "King's Hedges", "Market", "Newnham", "Petersfield", "Queen Edith's", "Romsey",
            "Trumpington", "West Chesterton", "KINGS HEDGES", "market");
    private static final List<String> DISTRICTS = List.of("Cambridge", "South Cambs", "Hunts", "Pboro", "Fenland",
            "East Cambridgeshire", "E07000012");
    private static final String NOISE = "\",;\t\n\r'\u00e9\u2019\uFEFF\u0000 ";
    private static final int MIB = 1024 * 1024;

    private final long seed;
    private final String prefix;

    /** The campaign of {@code seed}; request ids start with {@code prefix} (letters, digits, dots, dashes). */
    public IntakeInputs(final long seed, final String prefix) {
        this.seed = seed;
        this.prefix = prefix;
    }

    /** The token of the agency that publishes {@code feed}. */
    public static String tokenOf(final Feed feed) {
        return "campaign-token-" + feed.slug() + "-0123456789";
    }

    /** The name of the agency that publishes {@code feed}, as its records' sources carry it. */
    public static String agencyOf(final Feed feed) {
        return AGENCY_NAMES.get(feed);
    }

    /** The access file of the campaign: one agency per feed, each with its own token. */
    public static AccessPolicy accessPolicy() {
        final StringBuilder yaml = new StringBuilder("agencies:\n");
        for (final Feed feed : FEEDS) {
            yaml.append("  - name: ").append(agencyOf(feed)).append('\n')
                    .append("    principal: csp-").append(feed.slug()).append('\n')
                    .append("    feeds: [").append(feed.slug()).append("]\n")
                    .append("    token_sha256: ").append(Agency.tokenHash(tokenOf(feed))).append('\n');
        }
        yaml.append("topologies:\n  principal: csp-topologies\n  application_id: csp-hub-metrics\n");
        return AccessPolicy.parse(yaml.toString(), "campaign-access.yaml");
    }

    /** The request at {@code index}: a regression case for the first ones, else drawn from the seed. */
    public IntakeInput input(final int index) {
        final IntakeInput input = generated(index);
        if (input.declaredLength() < 0 && input.body().length > MAX_BODY_BYTES) {
            // wrong values can make a body longer than the limit: then it is refused whole
            return new IntakeInput(input.index(), input.requestId(), input.description() + ", over the body limit",
                    input.feedName(), input.token(), input.contentType(), input.body(), -1, input.chunked(),
                    Set.of(413), Map.of());
        }
        return input;
    }

    private IntakeInput generated(final int index) {
        final Random random = new Random(seed * 1_000_003L + index);
        final String requestId = prefix + "-" + index;
        return switch (index) {
            case 0 -> regression(index, requestId, FIRE_INCIDENTS, 3, 1, "cause", "X".repeat(MIB), null);
            case 1 -> file(index, requestId, REGRESSION_CASES.get(1), POLICE_ASB, export(POLICE_ASB, random,
                    requestId, 400), ExportFormat.CSV, StandardCharsets.UTF_8);
            case 2 -> regression(index, requestId, POLICE_ASB, 5, 2, "incident_id", "I".repeat(MIB), null);
            case 3 -> regression(index, requestId, AMBULANCE_CALLOUTS, 5, 3, "ward", "Nowhere".repeat(MIB / 7),
                    null);
            case 4 -> strayQuote(index, requestId, random);
            case 5 -> new IntakeInput(index, requestId, REGRESSION_CASES.get(5), POLICE_ASB.slug(),
                    tokenOf(POLICE_ASB), "text/csv", new byte[0], 20L * MIB, false, Set.of(413), Map.of());
            default -> drawn(index, requestId, random);
        };
    }

    private IntakeInput regression(final int index, final String requestId, final Feed feed, final int rows,
            final int damagedRow, final String column, final String value, final String expectedCode) {
        final Export export = export(feed, new Random(seed + index), requestId, rows);
        export.set(damagedRow, column, value, expectedCode);
        return file(index, requestId, REGRESSION_CASES.get(index), feed, export, ExportFormat.CSV,
                StandardCharsets.UTF_8);
    }

    private IntakeInput strayQuote(final int index, final String requestId, final Random random) {
        final Export export = export(IDVA_REFERRALS, random, requestId, 30);
        final List<String> lines = new ArrayList<>(List.of(export.csv(',').split("\n")));
        // line 11 holds the tenth row: a quote opens in its client reference and never closes
        lines.set(10, lines.get(10).replace(",CL", ",\"CL"));
        final Map<Long, IntakeInput.SentRow> known = new LinkedHashMap<>();
        export.rowsByLine(2).forEach((line, row) -> {
            if (line < 11) {
                known.put(line, row);
            }
        });
        return new IntakeInput(index, requestId, REGRESSION_CASES.get(4), IDVA_REFERRALS.slug(),
                tokenOf(IDVA_REFERRALS), "text/csv", (String.join("\n", lines) + "\n")
                .getBytes(StandardCharsets.UTF_8), -1, false, Set.of(200), known);
    }

    private IntakeInput drawn(final int index, final String requestId, final Random random) {
        final Feed feed = FEEDS.get(random.nextInt(FEEDS.size()));
        final int kind = random.nextInt(100);
        if (kind < 4) {
            return refused(index, requestId, feed, random);
        }
        final Export export = export(feed, random, requestId, 1 + random.nextInt(random.nextInt(10) == 0 ? 400 : 25));
        if (kind < 6) {
            return oversize(index, requestId, feed, export, random);
        }
        if (kind < 20) {
            return xlsx(index, requestId, feed, export, random);
        }
        if (kind < 30) {
            return file(index, requestId, "a valid export", feed, export, ExportFormat.CSV, StandardCharsets.UTF_8);
        }
        if (kind < 55) {
            final String what = mutateValues(export, random);
            return file(index, requestId, what, feed, export, ExportFormat.CSV, StandardCharsets.UTF_8);
        }
        if (kind < 75) {
            return structural(index, requestId, feed, export, random);
        }
        return bytes(index, requestId, feed, export, random);
    }

    /** A request refused before its body is read: wrong token, feed or content type. */
    private IntakeInput refused(final int index, final String requestId, final Feed feed, final Random random) {
        final byte[] body = export(feed, random, requestId, 3).csv(',').getBytes(StandardCharsets.UTF_8);
        final Feed other = FEEDS.get((FEEDS.indexOf(feed) + 1) % FEEDS.size());
        return switch (random.nextInt(6)) {
            case 0 -> new IntakeInput(index, requestId, "an unknown token", feed.slug(), "not-a-known-token-"
                    + random.nextInt(1000), "text/csv", body, -1, false, Set.of(401), Map.of());
            case 1 -> new IntakeInput(index, requestId, "no token", feed.slug(), null, "text/csv", body, -1, false,
                    Set.of(401), Map.of());
            case 2 -> new IntakeInput(index, requestId, "another agency's feed", other.slug(), tokenOf(feed),
                    "text/csv", body, -1, false, Set.of(403), Map.of());
            case 3 -> new IntakeInput(index, requestId, "an unknown feed", "no-such-feed", tokenOf(feed), "text/csv",
                    body, -1, false, Set.of(404), Map.of());
            case 4 -> new IntakeInput(index, requestId, "no content type", feed.slug(), tokenOf(feed), null, body, -1,
                    false, Set.of(415), Map.of());
            default -> new IntakeInput(index, requestId, "a wrong content type", feed.slug(), tokenOf(feed),
                    List.of("application/json", "text/plain", "application/vnd.ms-excel", "text/csvx")
                            .get(random.nextInt(4)), body, -1, false, Set.of(415), Map.of());
        };
    }

    /** A body over the limit: declared, sent in chunks, or declared without a body behind it. */
    private IntakeInput oversize(final int index, final String requestId, final Feed feed, final Export export,
            final Random random) {
        final String csv = export.csv(',');
        final String row = csv.substring(csv.indexOf('\n') + 1);
        final StringBuilder text = new StringBuilder(csv);
        while (text.length() <= MAX_BODY_BYTES + random.nextInt(64 * 1024)) {
            text.append(row.isEmpty() ? "x\n" : row);
        }
        final byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(3)) {
            case 0 -> new IntakeInput(index, requestId, "a body over the limit", feed.slug(), tokenOf(feed),
                    "text/csv", body, -1, false, Set.of(413), Map.of());
            case 1 -> new IntakeInput(index, requestId, "a chunked body over the limit", feed.slug(), tokenOf(feed),
                    "text/csv", body, -1, true, Set.of(413), Map.of());
            default -> new IntakeInput(index, requestId, "a declared length over the limit and no body",
                    feed.slug(), tokenOf(feed), "text/csv", new byte[0], MAX_BODY_BYTES + 1 + random.nextInt(MIB),
                    false, Set.of(413), Map.of());
        };
    }

    private IntakeInput xlsx(final int index, final String requestId, final Feed feed, final Export export,
            final Random random) {
        final int kind = random.nextInt(10);
        if (kind < 3) {
            return xlsxFile(index, requestId, "a valid workbook", feed, export, 0);
        }
        if (kind < 6) {
            final String what = mutateValues(export, random);
            return xlsxFile(index, requestId, "a workbook with " + what, feed, export, 0);
        }
        if (kind < 7) {
            // a small file that unpacks to a large sheet of empty rows: read, or refused whole
            final IntakeInput bomb = xlsxFile(index, requestId, "a bomb-like workbook", feed, export,
                    20_000 + random.nextInt(20_000));
            return new IntakeInput(index, requestId, bomb.description(), bomb.feedName(), bomb.token(),
                    bomb.contentType(), bomb.body(), -1, false, Set.of(200, 422), bomb.rows());
        }
        final byte[] whole = workbook(export, 0);
        final byte[] damaged = damage(whole, random);
        return new IntakeInput(index, requestId, "a damaged workbook", feed.slug(), tokenOf(feed),
                ExportFormat.XLSX_CONTENT_TYPE, damaged, -1, false, Set.of(200, 422), Map.of());
    }

    private static IntakeInput xlsxFile(final int index, final String requestId, final String what, final Feed feed,
            final Export export, final int blankRowsAfter) {
        return new IntakeInput(index, requestId, what, feed.slug(), tokenOf(feed), ExportFormat.XLSX_CONTENT_TYPE,
                workbook(export, blankRowsAfter), -1, false, Set.of(200), export.rowsByLine(2));
    }

    private static IntakeInput file(final int index, final String requestId, final String what, final Feed feed,
            final Export export, final ExportFormat format, final Charset charset) {
        final byte[] body = export.csv(',').getBytes(charset);
        return new IntakeInput(index, requestId, what, feed.slug(), tokenOf(feed), format == ExportFormat.XLSX
                ? ExportFormat.XLSX_CONTENT_TYPE : "text/csv", body, -1, false, Set.of(200), export.rowsByLine(2));
    }

    /** Damage to the file's structure whose effect on the line numbers is known, or damage that may hide them. */
    private IntakeInput structural(final int index, final String requestId, final Feed feed, final Export export,
            final Random random) {
        final String csv = export.csv(',');
        return switch (random.nextInt(9)) {
            case 0 -> new IntakeInput(index, requestId, "semicolons, a byte-order mark and CRLF", feed.slug(),
                    tokenOf(feed), "text/csv; charset=utf-8", ("\uFEFF" + export.csv(';').replace("\n", "\r\n"))
                    .getBytes(StandardCharsets.UTF_8), -1, false, Set.of(200), export.rowsByLine(2));
            case 1 -> new IntakeInput(index, requestId, "UTF-16 with a byte-order mark", feed.slug(), tokenOf(feed),
                    "text/csv", csv.getBytes(StandardCharsets.UTF_16), -1, false, Set.of(200), export.rowsByLine(2));
            case 2 -> {
                export.duplicateId(random);
                yield file(index, requestId, "a duplicated id", feed, export, ExportFormat.CSV,
                        StandardCharsets.UTF_8);
            }
            case 3 -> {
                final String what = export.dropOrAddField(random);
                yield file(index, requestId, what, feed, export, ExportFormat.CSV, StandardCharsets.UTF_8);
            }
            case 4 -> new IntakeInput(index, requestId, "a damaged header", feed.slug(), tokenOf(feed), "text/csv",
                    ("x" + csv.substring(random.nextInt(Math.max(1, csv.indexOf('\n'))))).getBytes(
                            StandardCharsets.UTF_8), -1, false, Set.of(200, 422), Map.of());
            case 5 -> new IntakeInput(index, requestId, "an empty body", feed.slug(), tokenOf(feed), "text/csv",
                    new byte[0], -1, false, Set.of(422), Map.of());
            case 6 -> new IntakeInput(index, requestId, "the header alone", feed.slug(), tokenOf(feed), "text/csv",
                    csv.substring(0, csv.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8), -1, false,
                    Set.of(200), Map.of());
            case 7 -> {
                // a quote opens in a row and never closes: the rows above it keep their lines
                final List<String> lines = new ArrayList<>(List.of(csv.split("\n")));
                final int at = 1 + random.nextInt(lines.size() - 1);
                lines.set(at, "\"" + lines.get(at));
                final Map<Long, IntakeInput.SentRow> known = new LinkedHashMap<>();
                export.rowsByLine(2).forEach((line, row) -> {
                    if (line <= at) {
                        known.put(line, row);
                    }
                });
                yield new IntakeInput(index, requestId, "a stray quote on line " + (at + 1), feed.slug(),
                        tokenOf(feed), "text/csv", (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                        -1, false, Set.of(200), known);
            }
            default -> new IntakeInput(index, requestId, "blank lines between the rows", feed.slug(), tokenOf(feed),
                    "text/csv", csv.replace("\n", "\n\n").getBytes(StandardCharsets.UTF_8), -1, false, Set.of(200),
                    export.rowsByLine(3, 2));
        };
    }

    /** Damage at random places, as {@code IntakeFuzzTest} does it: the lines of the rows are no longer known. */
    private IntakeInput bytes(final int index, final String requestId, final Feed feed, final Export export,
            final Random random) {
        final String valid = export.csv(',');
        final StringBuilder text = new StringBuilder(valid);
        final int headerEnd = valid.indexOf('\n') + 1;
        final int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && text.length() > 0; e++) {
            final int at = random.nextInt(5) == 0 || text.length() <= headerEnd ? random.nextInt(text.length())
                    : headerEnd + random.nextInt(text.length() - headerEnd);
            switch (random.nextInt(5)) {
                case 0 -> text.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 1 -> text.deleteCharAt(at);
                case 2 -> text.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 3 -> text.insert(at, "\"\"\"");
                default -> text.setLength(Math.max(1, at));
            }
        }
        final List<Charset> charsets = List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE,
                StandardCharsets.ISO_8859_1);
        byte[] body = text.toString().getBytes(charsets.get(random.nextInt(charsets.size())));
        if (random.nextBoolean()) {
            body = damage(body, random);
        }
        return new IntakeInput(index, requestId, "damaged bytes", feed.slug(), tokenOf(feed), "text/csv", body, -1,
                false, Set.of(200, 422), Map.of());
    }

    /** Flipped bits and a cut at any byte. */
    private static byte[] damage(final byte[] bytes, final Random random) {
        final ByteArrayOutputStream damaged = new ByteArrayOutputStream();
        final int cut = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
        final int flips = Math.max(1, bytes.length / 500);
        final byte[] copy = bytes.clone();
        for (int f = 0; f < flips; f++) {
            final int at = random.nextInt(copy.length);
            copy[at] = (byte) (copy[at] ^ (1 << random.nextInt(8)));
        }
        damaged.write(copy, 0, cut);
        return damaged.toByteArray();
    }

    /** Wrong values in some rows; a row whose wrong value has a known reason expects it. */
    private static String mutateValues(final Export export, final Random random) {
        final List<String> done = new ArrayList<>();
        final int rows = export.rows.size();
        for (int r = 0; r < rows; r++) {
            if (random.nextInt(3) != 0) {
                continue;
            }
            final List<String> header = export.header;
            final String column = header.get(random.nextInt(header.size()));
            switch (random.nextInt(10)) {
                case 0 -> export.set(r, column, "", null);
                case 1 -> export.set(r, column, "ROWDY", null);
                case 2 -> export.set(r, column, "2020-13-45", null);
                // now and then a value near or over the producer's 1 MiB request size
                case 3 -> export.set(r, column, "x".repeat(random.nextInt(40) == 0 ? 700_000 + random.nextInt(MIB)
                        : 4097 + random.nextInt(100_000)), null);
                case 4 -> export.set(r, export.idColumn(), "L".repeat(129 + random.nextInt(2000)), null);
                case 5 -> {
                    if (header.contains("ward")) {
                        // a short unknown name has one reason; a long one may be refused for its length first
                        final boolean longName = random.nextInt(5) == 0;
                        export.set(r, "ward", "Nowhere " + "z".repeat(longName ? 10_000 + random.nextInt(90_000)
                                : random.nextInt(40)), longName ? null : "UNKNOWN_WARD");
                    }
                }
                case 6 -> {
                    if (header.contains("district")) {
                        export.set(r, "district", "Atlantis" + "d".repeat(random.nextInt(300)), null);
                    }
                }
                case 7 -> export.set(r, column, "=HYPERLINK(\"x\",\"y\")", null);
                case 8 -> export.set(r, column, "\u00e9\u2019\u4e2d\uD83D\uDE00", null);
                default -> export.set(r, column, "2031-01-01", null);
            }
            done.add(column);
        }
        return "wrong values in " + (done.isEmpty() ? "no column" : String.join(", ", done));
    }

    /** A valid export of {@code count} rows whose ids are unique in the campaign. */
    private static Export export(final Feed feed, final Random random, final String requestId, final int count) {
        final Export export = new Export(feed, HEADERS.get(feed));
        for (int n = 0; n < count; n++) {
            final String id = requestId.toUpperCase(Locale.ROOT) + "-" + n;
            final String date = String.format("2020-%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28))
                    + (random.nextBoolean() ? String.format("T%02d:%02d:00", random.nextInt(24), random.nextInt(60))
                    : "");
            final String ward = WARDS.get(random.nextInt(WARDS.size()));
            final List<String> values = switch (feed.slug()) {
                case "police-asb" -> List.of(id, date, List.of("PERSONAL", "NUISANCE", "ENVIRONMENTAL")
                        .get(random.nextInt(3)), ward, "");
                case "ambulance-callouts" -> List.of(id, date, ward, "", List.of("M", "F", "U").get(random.nextInt(3)),
                        random.nextInt(8) == 0 ? "" : String.valueOf(random.nextInt(100)));
                case "idva-referrals" -> List.of(id, date.substring(0, 10), DISTRICTS.get(random.nextInt(
                        DISTRICTS.size())), List.of("DISTRICT", "A8", "YOUNG_PEOPLE", "HEALTH", "DA_STALKING")
                        .get(random.nextInt(5)), String.valueOf(random.nextInt(28)), "", yesNo(random),
                        "CL" + random.nextInt(500), yesNo(random), yesNo(random), yesNo(random));
                case "fire-incidents" -> {
                    final boolean byWard = random.nextBoolean();
                    yield List.of(id, date, List.of("PRIMARY_FIRE", "SECONDARY_FIRE", "CHIMNEY_FIRE", "FALSE_ALARM",
                            "SPECIAL_SERVICE").get(random.nextInt(5)), List.of("DELIBERATE", "ACCIDENTAL",
                            "NOT_KNOWN").get(random.nextInt(3)), byWard ? ward : "",
                            byWard ? "" : DISTRICTS.get(random.nextInt(DISTRICTS.size())));
                }
                default -> throw new IllegalArgumentException("No campaign rows for feed " + feed);
            };
            export.add(values);
        }
        return export;
    }

    private static String yesNo(final Random random) {
        return random.nextBoolean() ? "yes" : "no";
    }

    private static byte[] workbook(final Export export, final int blankRowsAfter) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Workbook workbook = new Workbook(out, "csp-hub", "1.0")) {
            final Worksheet sheet = workbook.newWorksheet("Export");
            for (int c = 0; c < export.header.size(); c++) {
                sheet.value(0, c, export.header.get(c));
            }
            for (int r = 0; r < export.rows.size(); r++) {
                final List<String> row = export.rows.get(r);
                for (int c = 0; c < row.size(); c++) {
                    if (!row.get(c).isEmpty()) {
                        sheet.value(r + 1, c, row.get(c));
                    }
                }
            }
            for (int r = 0; r < blankRowsAfter; r++) {
                sheet.value(export.rows.size() + 1 + r, 0, "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An export being built: its header and rows, and the reason expected of each row, if any. */
    private static final class Export {

        private final Feed feed;
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();
        private final List<String> expectedCodes = new ArrayList<>();

        Export(final Feed feed, final List<String> header) {
            this.feed = feed;
            this.header = header;
        }

        void add(final List<String> values) {
            rows.add(new ArrayList<>(values));
            expectedCodes.add(null);
        }

        String idColumn() {
            return header.get(0);
        }

        void set(final int row, final String column, final String value, final String expectedCode) {
            rows.get(row).set(header.indexOf(column), value);
            if (expectedCode != null) {
                expectedCodes.set(row, expectedCode);
            }
        }

        void duplicateId(final Random random) {
            if (rows.size() > 1) {
                final int later = 1 + random.nextInt(rows.size() - 1);
                set(later, idColumn(), rows.get(random.nextInt(later)).get(0), "DUPLICATE_ID");
            }
        }

        String dropOrAddField(final Random random) {
            final int row = random.nextInt(rows.size());
            final List<String> values = rows.get(row);
            if (random.nextBoolean()) {
                values.remove(values.size() - 1);
            } else {
                values.add("extra");
            }
            expectedCodes.set(row, "WRONG_FIELD_COUNT");
            return "a row with a field too few or too many";
        }

        String csv(final char separator) {
            final CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(separator).setRecordSeparator("\n")
                    .get();
            final StringBuilder text = new StringBuilder(format.format(header.toArray())).append('\n');
            for (final List<String> row : rows) {
                text.append(format.format(row.toArray())).append('\n');
            }
            return text.toString();
        }

        Map<Long, IntakeInput.SentRow> rowsByLine(final long firstLine) {
            return rowsByLine(firstLine, 1);
        }

        /** The rows by the line each starts on, when each takes {@code linesPerRow} lines (a row holds no line break). */
        Map<Long, IntakeInput.SentRow> rowsByLine(final long firstLine, final int linesPerRow) {
            final Map<Long, IntakeInput.SentRow> byLine = new LinkedHashMap<>();
            long line = firstLine;
            for (int r = 0; r < rows.size(); r++) {
                final List<String> values = rows.get(r);
                if (values.stream().anyMatch(value -> value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
                    break;
                }
                final Map<String, String> fields = new LinkedHashMap<>();
                for (final String column : KEY_FIELDS.get(feed)) {
                    final int at = header.indexOf(column);
                    fields.put(column, at < values.size() ? values.get(at) : "");
                }
                byLine.put(line, new IntakeInput.SentRow(values.get(0), fields, expectedCodes.get(r)));
                line += linesPerRow;
            }
            return byLine;
        }
    }
}
