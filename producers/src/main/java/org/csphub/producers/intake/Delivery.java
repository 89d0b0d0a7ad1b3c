package org.csphub.producers.intake;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.csphub.serde.SchemaRegistryException;

/**
 * The sends of one intake and what became of each. Every send carries the line of the row it stores,
 * and its own result (the producer's callback, or the exception {@code send} threw) is counted here
 * alone: a failure is reported to the intake whose row it was, never to another intake of the same
 * process that happens to wait at the same moment.
 */
public final class Delivery {

    /** A row Kafka did not take: its line, the topic, and why; {@code retriable} when sending again can succeed. */
    public record Failure(long line, String topic, String reason, boolean retriable) {
    }

    private final Producer<String, Object> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean futile;

    Delivery(final Producer<String, Object> producer) {
        this.producer = producer;
    }

    /** Sends {@code value} (a tombstone when null) for the row on {@code line}; a failure is kept against that line. */
    public void send(final String topic, final String key, final Object value, final long line) {
        sent.incrementAndGet();
        final Callback callback = (metadata, exception) -> {
            if (exception != null) {
                failed(line, topic, exception);
            }
            completed.incrementAndGet();
        };
        try {
            producer.send(new ProducerRecord<>(topic, key, value), callback);
        } catch (KafkaException | IllegalStateException | SchemaRegistryException e) {
            // thrown before the record was queued (serializer, registry, a closed or failed producer): the
            // callback never runs, and the sends after it would meet the same
            futile = true;
            failed(line, topic, e);
            completed.incrementAndGet();
        }
    }

    /**
     * Whether sending more now is futile: a send so far failed for a reason that passes (the broker or the
     * registry unavailable, so the next would wait and fail too), or the producer refused a record outright.
     * A record that failed alone (too large, say) does not stop the others.
     */
    public boolean futile() {
        return futile;
    }

    /** Waits until Kafka has answered for every send, and returns the failed ones in line order. */
    public List<Failure> await() {
        producer.flush();
        // flush returns once every batch completed, and the producer runs a batch's callbacks before that
        if (completed.get() != sent.get()) {
            throw new IllegalStateException("Kafka answered " + completed.get() + " of " + sent.get()
                    + " sends after a flush");
        }
        final List<Failure> failed = new ArrayList<>(failures);
        failed.sort(Comparator.comparingLong(Failure::line));
        return failed;
    }

    public long sent() {
        return sent.get();
    }

    private void failed(final long line, final String topic, final Exception exception) {
        final boolean retriable = isRetriable(exception);
        if (retriable) {
            // set, never cleared: a read-and-write here could undo what the sending thread set meanwhile
            futile = true;
        }
        failures.add(new Failure(line, topic, reasonOf(exception), retriable));
    }

    /**
     * Whether sending again later can succeed: the broker or the registry was unavailable or slow, or the
     * hub was stopping. A record too large, or refused by the registry, fails again however often it is sent.
     */
    static boolean isRetriable(final Throwable exception) {
        if (exception instanceof IllegalStateException) {
            // the producer was closed under the intake: the hub is stopping
            return true;
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RetriableException || cause instanceof InterruptException) {
                return true;
            }
            if (cause instanceof SchemaRegistryException registry) {
                // 0: not reached; 5xx and 429: the registry's own trouble
                return registry.httpStatus() == 0 || registry.httpStatus() >= 500 || registry.httpStatus() == 429;
            }
        }
        return false;
    }

    private static String reasonOf(final Throwable exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && cause.getCause() != cause && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
