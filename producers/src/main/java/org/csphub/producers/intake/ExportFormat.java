package org.csphub.producers.intake;

import java.util.Locale;
import java.util.Optional;

/** The file formats partners export: CSV (any separator, with or without a BOM) and Excel's XLSX. */
public enum ExportFormat {
    CSV,
    XLSX;

    public static final String XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** The format a file name says, CSV unless it ends in {@code .xlsx}. */
    public static ExportFormat ofFileName(final String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".xlsx") ? XLSX : CSV;
    }

    /** The format an HTTP content type names, if it names one the intake reads. */
    public static Optional<ExportFormat> ofContentType(final String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        final String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "text/csv", "application/csv" -> Optional.of(CSV);
            case XLSX_CONTENT_TYPE -> Optional.of(XLSX);
            default -> Optional.empty();
        };
    }
}
