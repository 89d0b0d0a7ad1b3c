package org.csphub.sinks.extract;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.csphub.sinks.snapshot.MetricSnapshot;
import org.csphub.sinks.snapshot.MetricSnapshotReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a folder of extracts current: reads the metric topics to their end every {@code interval}
 * and rewrites the extract whenever the topics have moved on since the last one.
 */
public final class ExtractSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractSink.class);

    private final MetricSnapshotReader reader;
    private final ExtractWriter writer;
    private final Path folder;
    private final Duration interval;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private Map<TopicPartition, Long> written;

    public ExtractSink(final MetricSnapshotReader reader, final ExtractWriter writer, final Path folder,
            final Duration interval) {
        this.reader = reader;
        this.writer = writer;
        this.folder = folder;
        this.interval = interval;
    }

    /** Writes the extract if the topics moved on; returns whether it wrote. */
    public boolean refresh() throws IOException, TimeoutException {
        final MetricSnapshot snapshot = reader.read(Duration.ofMinutes(2));
        if (snapshot.offsets().equals(written)) {
            LOG.debug("The metric topics have not moved since the last extract");
            return false;
        }
        writer.write(snapshot, folder);
        written = snapshot.offsets();
        return true;
    }

    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("The extract sink runs once");
        }
        try {
            do {
                try {
                    refresh();
                } catch (IOException | TimeoutException | KafkaException e) {
                    LOG.warn("Could not refresh the extracts in {}: {}; trying again in {} s", folder, e.getMessage(),
                            interval.toSeconds());
                }
            } while (!stopping.await(interval.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        stopping.countDown();
        if (started.compareAndSet(false, true)) {
            return;
        }
        try {
            stopped.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
