package org.csphub.producers.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV export as spreadsheets write them: UTF-8 with or without a byte-order mark, UTF-16 with
 * or without one, Windows-1252 when the bytes are not UTF-8; comma, semicolon or tab separated (whichever the
 * header uses most); quoted fields that hold separators, quotes and line breaks.
 */
public final class CsvExportReader implements ExportTable {

    private static final int SNIFF_BYTES = 64 * 1024;
    /** Broken quoting can make a run of unreadable stretches; past this many in a row the rest is not a table. */
    private static final int MAX_CONSECUTIVE_UNREADABLE = 100;
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private long lastLine;
    private int consecutiveUnreadable;
    private boolean finished;

    private CsvExportReader(final CSVParser parser) {
        this.parser = parser;
        this.records = parser.iterator();
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
            final CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(separatorOf(headText))
                    .setIgnoreEmptyLines(false).setIgnoreSurroundingSpaces(true).get();
            return new CsvExportReader(format.parse(reader));
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
        while (!finished) {
            final long start = lastLine + 1;
            try {
                if (!records.hasNext()) {
                    finished = true;
                    return Optional.empty();
                }
                final CSVRecord record = records.next();
                lastLine = parser.getCurrentLineNumber();
                consecutiveUnreadable = 0;
                // one copy of the parser's array, which the row keeps as it is
                final TableRow.Values row = new TableRow.Values(start, List.of(record.values()));
                if (!row.isBlank()) {
                    return Optional.of(row);
                }
            } catch (RuntimeException e) {
                lastLine = Math.max(start, parser.getCurrentLineNumber());
                if (++consecutiveUnreadable >= MAX_CONSECUTIVE_UNREADABLE) {
                    finished = true;
                }
                return Optional.of(new TableRow.Unreadable(start, "", "the text cannot be read as a row ("
                        + rootMessage(e) + ")" + (finished ? "; the rest of the file was not read" : "")));
            }
        }
        return Optional.empty();
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
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
