package org.csphub.producers.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * Reads the first sheet of an XLSX export: the first non-empty row is the header. Cells are turned
 * into the text a CSV export would hold: dates as ISO-8601, whole numbers without a decimal point.
 */
public final class XlsxExportReader implements ExportTable {

    /** A number format that shows a date or a time: it uses d, y, h or s outside quotes and brackets. */
    private static final Pattern DATE_FORMAT = Pattern.compile(".*[dyhs].*");

    private final ReadableWorkbook workbook;
    private final String sheet;
    private final Stream<Row> stream;
    private final Iterator<Row> rows;
    private final List<String> header;
    /** The number of the last row read from the sheet, blank or not; 0 before the first. */
    private long lastRow;
    private long rowsRead;
    /** A row read while getting past a damaged one, given next. */
    private Row pending;
    private boolean finished;

    private XlsxExportReader(final ReadableWorkbook workbook, final String sheet, final Stream<Row> stream) {
        this.workbook = workbook;
        this.sheet = sheet;
        this.stream = stream;
        this.rows = stream.iterator();
        this.header = readHeader();
    }

    public static XlsxExportReader open(final InputStream in) {
        ReadableWorkbook workbook = null;
        try {
            workbook = new ReadableWorkbook(in, new ReadingOptions(true, false));
            final Sheet first = workbook.getFirstSheet();
            return new XlsxExportReader(workbook, first.getName(), first.openStream());
        } catch (IOException | RuntimeException e) {
            closeQuietly(workbook);
            if (e instanceof UnreadableExportException unreadable) {
                throw unreadable;
            }
            throw new UnreadableExportException("The file is not a readable XLSX workbook: " + e.getMessage(), e);
        }
    }

    private List<String> readHeader() {
        final Optional<TableRow> first = next();
        if (first.isEmpty()) {
            throw new UnreadableExportException("The first sheet is empty: it has no header row");
        }
        if (first.get() instanceof TableRow.Unreadable unreadable) {
            throw new UnreadableExportException("The header row cannot be read: " + unreadable.problem());
        }
        final List<String> cells = new ArrayList<>(((TableRow.Values) first.get()).values());
        // Excel keeps formatted but empty cells at the end of a row; they are not columns
        while (!cells.isEmpty() && cells.get(cells.size() - 1).isBlank()) {
            cells.remove(cells.size() - 1);
        }
        return List.copyOf(cells);
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public Optional<TableRow> next() {
        while (!finished) {
            final Row row;
            if (pending != null) {
                row = pending;
                pending = null;
            } else {
                try {
                    if (!rows.hasNext()) {
                        finished = true;
                        return Optional.empty();
                    }
                    row = rows.next();
                } catch (RuntimeException e) {
                    return Optional.of(damagedRow(e));
                }
            }
            lastRow = Math.max(lastRow + 1, row.getRowNum());
            rowsRead++;
            final TableRow read = rowOf(row, lastRow);
            if (!(read instanceof TableRow.Values values) || !values.isBlank()) {
                return Optional.of(read);
            }
        }
        return Optional.empty();
    }

    /** The row's values; unreadable, with the cells read before it, when a cell cannot be read. */
    private TableRow rowOf(final Row row, final long number) {
        final List<String> values = new ArrayList<>();
        final int width = header == null ? row.getCellCount() : Math.max(header.size(), row.getCellCount());
        for (int index = 0; index < width; index++) {
            try {
                values.add(index < row.getCellCount() ? text(row.getCell(index)) : "");
            } catch (RuntimeException e) {
                return new TableRow.Unreadable(number, TableRow.joined(values), "sheet '" + sheet
                        + "', row " + number + ": cell " + columnName(index) + number + " cannot be read ("
                        + reason(e) + ")");
            }
        }
        return new TableRow.Values(number, values);
    }

    /**
     * A row the sheet's reader failed on. The reader takes up again at the next row when the damage is in
     * a value; when the sheet itself is damaged it cannot, and the rest of the sheet is set aside.
     */
    private TableRow damagedRow(final RuntimeException e) {
        final long number = lastRow + 1;
        lastRow = number;
        try {
            if (rows.hasNext()) {
                pending = rows.next();
                return new TableRow.Unreadable(number, "", "sheet '" + sheet + "': the row after row " + (number - 1)
                        + " cannot be read (" + reason(e) + "); reading goes on at the next row");
            }
        } catch (RuntimeException again) {
            // the sheet cannot be read past the damage
        }
        finished = true;
        return new TableRow.Unreadable(number, "", "sheet '" + sheet + "': the sheet cannot be read after row "
                + (number - 1) + " (" + reason(e) + "); " + rowsRead + " rows were read, the rest is not");
    }

    /** What went wrong, in one line: the first account that is more than a wrapping of its cause. */
    private static String reason(final Throwable e) {
        Throwable account = e;
        while (account.getCause() != null && account.getCause() != account
                && (account.getMessage() == null || account.getMessage().equals(account.getCause().toString()))) {
            account = account.getCause();
        }
        return String.valueOf(account.getMessage()).replaceAll("\\s+", " ").trim();
    }

    /** A column's letters as Excel shows them: A, Z, AA. */
    static String columnName(final int index) {
        final StringBuilder name = new StringBuilder();
        for (int rest = index + 1; rest > 0; rest = (rest - 1) / 26) {
            name.insert(0, (char) ('A' + (rest - 1) % 26));
        }
        return name.toString();
    }

    static String text(final Cell cell) {
        if (cell == null || cell.getType() == null || cell.getType() == CellType.EMPTY) {
            return "";
        }
        if (cell.getType() == CellType.NUMBER) {
            if (isDateFormat(cell.getDataFormatString())) {
                final LocalDateTime moment = cell.asDate();
                return moment.toLocalTime().equals(LocalTime.MIDNIGHT) ? moment.toLocalDate().toString()
                        : moment.toString();
            }
            return number(cell.getRawValue());
        }
        final String text = cell.getText();
        return text == null ? "" : text;
    }

    private static String number(final String raw) {
        try {
            final BigDecimal number = new BigDecimal(raw).stripTrailingZeros();
            // a huge exponent would write a huge string; such a value is wrong anyway and is kept as sent
            return number.scale() < -20 || number.scale() > 20 ? raw : number.toPlainString();
        } catch (NumberFormatException e) {
            return raw;
        }
    }

    private static boolean isDateFormat(final String format) {
        if (format == null) {
            return false;
        }
        final String bare = format.replaceAll("\"[^\"]*\"", "").replaceAll("\\[[^]]*]", "").toLowerCase(Locale.ROOT);
        return !bare.equals("general") && DATE_FORMAT.matcher(bare).matches();
    }

    @Override
    public void close() {
        try {
            stream.close();
        } finally {
            closeQuietly(workbook);
        }
    }

    private static void closeQuietly(final ReadableWorkbook workbook) {
        if (workbook != null) {
            try {
                workbook.close();
            } catch (IOException | UncheckedIOException e) {
                // nothing more can be done for a workbook that will not close
            }
        }
    }
}
