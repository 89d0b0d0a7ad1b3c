package org.csphub.producers.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.csphub.producers.deadletter.RejectsReport;
import org.csphub.topics.Feed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder partners drop exports into, one sub-folder per feed ({@code DIR/police-asb/}, ...). Each
 * file is published, then moved to {@code processed/} (or {@code failed/} when it was refused whole)
 * of its feed's folder, with a {@code <file>.rejects.csv} beside it when any row was rejected. A file
 * still being written is left until its size and modification time stay the same between two scans.
 * When Kafka does not take the records the file stays where it is and is tried again.
 */
public final class DropFolder {

    public static final String PROCESSED = "processed";
    public static final String FAILED = "failed";
    public static final String REJECTS_SUFFIX = ".rejects.csv";

    private static final Logger LOG = LoggerFactory.getLogger(DropFolder.class);

    private final Path root;
    private final IntakeService intake;
    private final boolean waitUntilSettled;
    private final Map<Path, String> lastSeen = new HashMap<>();

    public DropFolder(final Path root, final IntakeService intake, final boolean waitUntilSettled) {
        this.root = root;
        this.intake = intake;
        this.waitUntilSettled = waitUntilSettled;
    }

    /** Creates the feed folders. */
    public void prepare() {
        try {
            for (final Feed feed : intake.catalog().feeds()) {
                Files.createDirectories(root.resolve(feed.slug()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the feed folders under " + root, e);
        }
    }

    /** One pass over every feed folder; the summaries of the files published. */
    public List<IntakeSummary> scan() {
        final List<IntakeSummary> summaries = new ArrayList<>();
        for (final Feed feed : intake.catalog().feeds()) {
            final Path folder = root.resolve(feed.slug());
            if (!Files.isDirectory(folder)) {
                continue;
            }
            for (final Path file : candidates(folder)) {
                if (settled(file)) {
                    lastSeen.remove(file);
                    ingest(feed, file).ifPresent(summaries::add);
                }
            }
        }
        return summaries;
    }

    private List<Path> candidates(final Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                return !name.startsWith(".") && !name.endsWith(".part") && !name.endsWith(".tmp")
                        && !name.endsWith(REJECTS_SUFFIX);
            }).sorted().toList();
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", folder, e.getMessage());
            return List.of();
        }
    }

    private boolean settled(final Path file) {
        if (!waitUntilSettled) {
            return true;
        }
        try {
            final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            final String state = attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
            return state.equals(lastSeen.put(file, state));
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<IntakeSummary> ingest(final Feed feed, final Path file) {
        final Path folder = file.getParent();
        final String name = file.getFileName().toString();
        final Path pendingReport = folder.resolve("." + name + REJECTS_SUFFIX + ".part");
        IntakeSummary summary;
        boolean failed;
        try (RejectsReport report = RejectsReport.create(pendingReport);
                InputStream in = Files.newInputStream(file)) {
            try {
                summary = intake.ingest(feed, name, in, ExportFormat.ofFileName(name), report::add);
                if (summary.refused()) {
                    report.refusal(summary.refusal());
                }
                failed = summary.refused();
            } catch (PublishFailedException e) {
                if (e.retriable()) {
                    LOG.error("{}: Kafka did not take every record ({}); the file stays for the next scan", file,
                            e.getMessage());
                    summary = null;
                    failed = false;
                } else {
                    // sending the file again would fail the same way: it goes to failed/ for the operator, with
                    // the rejected rows already in its report and which rows Kafka did not take
                    LOG.error("{}: Kafka refused records for good ({}); the file goes to {}", file, e.getMessage(),
                            FAILED);
                    summary = e.summary().orElseGet(() -> IntakeSummary.refusedWhole(feed.slug(), name,
                            e.getMessage()));
                    summary.notStoredRows().forEach(rows -> report.notStored(rows.lines(), rows.reason()));
                    if (summary.notStoredRows().isEmpty()) {
                        report.refusal(String.valueOf(e.getMessage()));
                    }
                    failed = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot be published: {}", file, e.getMessage());
            summary = IntakeSummary.refusedWhole(feed.slug(), name, e.getMessage());
            failed = true;
            try (RejectsReport report = RejectsReport.create(pendingReport)) {
                report.refusal(String.valueOf(e.getMessage()));
            }
        }
        if (summary == null) {
            deleteQuietly(pendingReport);
            return Optional.empty();
        }
        try {
            final Path target = Files.createDirectories(folder.resolve(failed ? FAILED : PROCESSED));
            final Path moved = freeName(target, name);
            Files.move(file, moved, StandardCopyOption.ATOMIC_MOVE);
            if (summary.rejected() > 0 || failed) {
                Files.move(pendingReport, target.resolve(moved.getFileName() + REJECTS_SUFFIX),
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(pendingReport);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + file + " out of the drop folder", e);
        }
        return Optional.of(summary);
    }

    /** {@code name} in {@code folder}, or {@code name.1}, {@code name.2}, ... when a file of that name is there. */
    private static Path freeName(final Path folder, final String name) {
        Path candidate = folder.resolve(name);
        for (int n = 1; Files.exists(candidate); n++) {
            candidate = folder.resolve(name + "." + n);
        }
        return candidate;
    }

    private static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}", file, e);
        }
    }
}
