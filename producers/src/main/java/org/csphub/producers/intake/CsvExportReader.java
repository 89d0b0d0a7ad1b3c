package org.csphub.producers.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV export as spreadsheets write them: UTF-8 with or without a byte-order mark, UTF-16 with
 * or without one, Windows-1252 when the bytes are not UTF-8; comma, semicolon or tab separated (whichever the
 * header uses most); quoted fields that hold separators, quotes and line breaks.
 *
 * <p>The text is read line by line, so that every row knows its lines and its text: a row is one
 * line, or several when a quoted value holds line breaks and the lines together read as one row of the
 * header's width. A line that cannot be read as a row (a quote left open, text after a closing quote)
 * comes back unreadable with its text, and reading goes on at the next line; so a stray quote costs
 * its own line and no other. Each line after the header belongs to one row, or is blank.
 */
public final class CsvExportReader implements ExportTable {

    private static final int SNIFF_BYTES = 64 * 1024;
    /** Past this many unreadable rows in a row the rest is not a table, and is set aside as one stretch. */
    private static final int MAX_CONSECUTIVE_UNREADABLE = 100;
    /** A quoted value may hold line breaks, but a row spans at most this many lines... */
    private static final int MAX_ROW_LINES = 100;
    /** ...and this many characters: a quote left open never gathers the rest of a file. */
    private static final int MAX_ROW_CHARS = 64 * 1024;
    /** A longer line is kept only in part: more than any row holds, and memory stays bounded. */
    private static final int MAX_LINE_CHARS = 4 * 1024 * 1024;
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    /** commons-csv's place of an error: the line is that of the one-line text given it, not the file's. */
    private static final Pattern POSITION = Pattern.compile("at line: \\d+, position: (\\d+)");

    private final PhysicalLines lines;
    private final CSVFormat format;
    private final char separator;
    private final List<String> header;
    private int consecutiveUnreadable;
    private boolean finished;

    private CsvExportReader(final Reader reader, final char separator) {
        this.lines = new PhysicalLines(reader);
        this.separator = separator;
        this.format = CSVFormat.DEFAULT.builder().setDelimiter(separator).setIgnoreEmptyLines(false)
                .setIgnoreSurroundingSpaces(true).get();
        this.header = readHeader();
    }

    public static CsvExportReader open(final InputStream in) {
        try {
            final BufferedInputStream buffered = new BufferedInputStream(in, SNIFF_BYTES);
            buffered.mark(SNIFF_BYTES);
            final byte[] head = buffered.readNBytes(SNIFF_BYTES);
            buffered.reset();
            final Encoding encoding = encodingOf(head);
            buffered.skipNBytes(encoding.bomLength());
            final String headText = new String(head, encoding.bomLength(), head.length - encoding.bomLength(),
                    encoding.charset());
            final InputStreamReader reader = new InputStreamReader(buffered, encoding.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            return new CsvExportReader(reader, separatorOf(headText));
        } catch (IOException | UncheckedIOException e) {
            throw new UnreadableExportException("Cannot read the file: " + e.getMessage(), e);
        }
    }

    private record Encoding(Charset charset, int bomLength) {
    }

    private static Encoding encodingOf(final byte[] head) {
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            return new Encoding(StandardCharsets.UTF_8, 3);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            return new Encoding(StandardCharsets.UTF_16LE, 2);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            return new Encoding(StandardCharsets.UTF_16BE, 2);
        }
        // UTF-16 without a mark: text of Latin letters has a zero byte in every other place
        int zerosEven = 0;
        int zerosOdd = 0;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                zerosEven += i % 2 == 0 ? 1 : 0;
                zerosOdd += i % 2 == 1 ? 1 : 0;
            }
        }
        if (head.length >= 4 && zerosOdd > head.length * 2 / 5) {
            return new Encoding(StandardCharsets.UTF_16LE, 0);
        }
        if (head.length >= 4 && zerosEven > head.length * 2 / 5) {
            return new Encoding(StandardCharsets.UTF_16BE, 0);
        }
        return new Encoding(isUtf8(head) ? StandardCharsets.UTF_8 : WINDOWS_1252, 0);
    }

    /** Whether the bytes are UTF-8, allowing a character cut off by the end of the sample. */
    private static boolean isUtf8(final byte[] head) {
        int end = head.length;
        for (int back = 1; back <= 3 && head.length - back >= 0; back++) {
            final int b = head[head.length - back] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                final int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                if (length > back) {
                    end = head.length - back;
                }
                break;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The separator the first line uses most, outside quotes: comma, semicolon or tab. */
    static char separatorOf(final String text) {
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }
        if (semicolons > commas && semicolons >= tabs) {
            return ';';
        }
        return tabs > commas && tabs > semicolons ? '\t' : ',';
    }

    private List<String> readHeader() {
        final Optional<TableRow> row = next();
        if (row.isEmpty()) {
            throw new UnreadableExportException("The file is empty: it has no header row");
        }
        if (row.get() instanceof TableRow.Unreadable unreadable) {
            throw new UnreadableExportException("The header row cannot be read: " + unreadable.problem());
        }
        return ((TableRow.Values) row.get()).values();
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public Optional<TableRow> next() {
        try {
            while (!finished) {
                final Line first = lines.next();
                if (first == null) {
                    finished = true;
                    return Optional.empty();
                }
                final TableRow row = rowFrom(first);
                if (row instanceof TableRow.Unreadable unreadable) {
                    return Optional.of(++consecutiveUnreadable < MAX_CONSECUTIVE_UNREADABLE ? unreadable
                            : restOfFile(first));
                }
                if (row != null) {
                    consecutiveUnreadable = 0;
                    return Optional.of(row);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The row that starts on {@code first}: null when the line is blank. */
    private TableRow rowFrom(final Line first) throws IOException {
        if (first.isCut()) {
            return new TableRow.Unreadable(first.number(), first.content(), "the line is " + first.length()
                    + " characters long, more than any row holds; its first " + first.text().length()
                    + " are kept");
        }
        final QuoteState quotes = new QuoteState(separator);
        if (first.text().indexOf('"') >= 0) {
            quotes.read(first.text());
        }
        if (!quotes.isOpen()) {
            try {
                final List<String> values = valuesOf(first.text());
                return isBlank(values) ? null : new TableRow.Values(first.number(), values);
            } catch (IOException | RuntimeException e) {
                return new TableRow.Unreadable(first.number(), first.content(), "the text cannot be read as a row ("
                        + POSITION.matcher(rootMessage(e)).replaceFirst("at character $1") + ")");
            }
        }
        // a quoted value that holds line breaks: the lines up to its closing quote, if they read as one row
        final List<Line> taken = new ArrayList<>();
        final StringBuilder text = new StringBuilder(first.text());
        taken.add(first);
        while (quotes.isOpen() && taken.size() < MAX_ROW_LINES && text.length() <= MAX_ROW_CHARS) {
            final Line line = lines.next();
            if (line == null) {
                break;
            }
            taken.add(line);
            if (line.isCut()) {
                break;
            }
            text.append(line.text());
            quotes.read(line.text());
        }
        if (!quotes.isOpen() && text.length() <= MAX_ROW_CHARS) {
            try {
                final List<String> values = valuesOf(text.toString());
                if (header == null || fitsHeader(values)) {
                    return new TableRow.Values(first.number(), taken.get(taken.size() - 1).number(), values);
                }
            } catch (IOException | RuntimeException e) {
                // read as the first line alone, below
            }
        }
        lines.pushBack(taken.subList(1, taken.size()));
        return new TableRow.Unreadable(first.number(), first.content(), "a quoted value opens on this line and "
                + "does not close on it (a quote out of place?); the next line is read as a new row");
    }

    /** The values of one row's text, read by the CSV rules; an exception when it is not exactly one row. */
    private List<String> valuesOf(final String text) throws IOException {
        if (text.indexOf('"') < 0) {
            return plainValues(text);
        }
        try (CSVParser parser = format.parse(new StringReader(text))) {
            final List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                throw new IOException("the text holds " + records.size() + " rows");
            }
            // one copy of the parser's array, which the row keeps as it is
            return List.of(records.get(0).values());
        }
    }

    /** A line without quotes, as commons-csv reads it (each value trimmed), without starting a parser for it. */
    private List<String> plainValues(final String text) {
        final int end = text.length() - Line.terminatorLength(text);
        final List<String> values = new ArrayList<>();
        int from = 0;
        for (int at = text.indexOf(separator); at >= 0 && at < end; at = text.indexOf(separator, from)) {
            values.add(text.substring(from, at).strip());
            from = at + 1;
        }
        values.add(text.substring(from, end).strip());
        return values;
    }

    private static boolean isBlank(final List<String> values) {
        for (final String value : values) {
            if (!value.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** Whether a row spread over lines has the header's width (or more, all blank): else it is no row. */
    private boolean fitsHeader(final List<String> values) {
        return values.size() == header.size() || (values.size() > header.size()
                && isBlank(values.subList(header.size(), values.size())));
    }

    /**
     * Too many unreadable rows in a row: the rest of the file is no table. It is set aside as one stretch
     * from {@code first} to the last line, its start kept as text, so that every line is still accounted for.
     */
    private TableRow restOfFile(final Line first) throws IOException {
        finished = true;
        final StringBuilder text = new StringBuilder();
        boolean cut = false;
        long last = first.number();
        for (Line line = first; line != null; line = lines.next()) {
            last = line.number();
            final int room = MAX_ROW_CHARS - text.length();
            cut |= line.isCut() || line.text().length() > room;
            text.append(line.text(), 0, Math.max(0, Math.min(room, line.text().length())));
        }
        return new TableRow.Unreadable(first.number(), last, Line.withoutTerminator(text.toString()),
                MAX_CONSECUTIVE_UNREADABLE + " rows in a row cannot be read, so the rest of the file is no table: "
                + "lines " + first.number() + " to " + last + " are set aside unread"
                + (cut ? " (their first " + MAX_ROW_CHARS + " characters are kept)" : ""));
    }

    private static String rootMessage(final Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of the file: its number, its text with its line break, and its length when only part was kept. */
    private record Line(long number, String text, long length) {

        boolean isCut() {
            return length > text.length();
        }

        /** The text without its line break, as the partner would see the line. */
        String content() {
            return withoutTerminator(text);
        }

        static String withoutTerminator(final String text) {
            return text.substring(0, text.length() - terminatorLength(text));
        }

        static int terminatorLength(final String text) {
            if (text.endsWith("\r\n")) {
                return 2;
            }
            return text.endsWith("\n") || text.endsWith("\r") ? 1 : 0;
        }
    }

    /** The decoded text line by line, each ending at {@code \n}, {@code \r\n} or {@code \r} as commons-csv counts lines. */
    private static final class PhysicalLines {

        private final Reader reader;
        private final char[] buffer = new char[8192];
        private final Deque<Line> pushedBack = new ArrayDeque<>();
        private int position;
        private int limit;
        private long number;

        PhysicalLines(final Reader reader) {
            this.reader = reader;
        }

        /** The next line, or null at the end. */
        Line next() throws IOException {
            if (!pushedBack.isEmpty()) {
                return pushedBack.pop();
            }
            final StringBuilder text = new StringBuilder();
            long length = 0;
            boolean afterCarriageReturn = false;
            while (fill()) {
                if (afterCarriageReturn) {
                    if (buffer[position] == '\n') {
                        position++;
                        length++;
                        append(text, '\n');
                    }
                    break;
                }
                int end = position;
                while (end < limit && buffer[end] != '\n' && buffer[end] != '\r') {
                    end++;
                }
                final boolean broken = end < limit;
                final int taken = broken ? end + 1 - position : end - position;
                final int room = Math.max(0, MAX_LINE_CHARS - text.length());
                text.append(buffer, position, Math.min(taken, room));
                length += taken;
                position += taken;
                if (broken && buffer[end] == '\n') {
                    break;
                }
                afterCarriageReturn = broken;
            }
            return length == 0 ? null : new Line(++number, text.toString(), length);
        }

        private static void append(final StringBuilder text, final char c) {
            if (text.length() < MAX_LINE_CHARS) {
                text.append(c);
            }
        }

        /** Whether a character is ready in the buffer, reading more when it is spent. */
        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            final int read = reader.read(buffer);
            position = 0;
            limit = Math.max(0, read);
            return read > 0;
        }

        /** Lines taken that are to be read again, in file order. */
        void pushBack(final List<Line> taken) {
            for (int i = taken.size() - 1; i >= 0; i--) {
                pushedBack.push(taken.get(i));
            }
        }

        void close() throws IOException {
            reader.close();
        }
    }

    /**
     * Whether a quoted value is still open after some text, following the CSV rules as commons-csv reads
     * them: a quote opens a value only at its start (after any spaces), a doubled quote inside is a quote.
     */
    private static final class QuoteState {

        private final char separator;
        private boolean quoted;
        private boolean quoteSeen;
        private boolean atValueStart = true;

        QuoteState(final char separator) {
            this.separator = separator;
        }

        void read(final String text) {
            for (int i = 0; i < text.length(); i++) {
                final char c = text.charAt(i);
                if (quoted) {
                    if (quoteSeen) {
                        quoteSeen = false;
                        if (c == '"') {
                            continue;
                        }
                        quoted = false;
                    } else {
                        quoteSeen = c == '"';
                        continue;
                    }
                }
                if (c == separator || c == '\n' || c == '\r') {
                    atValueStart = true;
                } else if (atValueStart && c == '"') {
                    quoted = true;
                    atValueStart = false;
                } else if (!atValueStart || !Character.isWhitespace(c)) {
                    atValueStart = false;
                }
            }
        }

        boolean isOpen() {
            return quoted && !quoteSeen;
        }
    }
}
