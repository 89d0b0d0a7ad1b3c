package org.csphub.producers.intake;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.config.HubConfig;
import org.csphub.serde.AvroSerializer;

/**
 * Sends accepted rows and dead letters with one idempotent producer ({@code acks=all},
 * {@code enable.idempotence=true}): a retried send never duplicates a record, and the records of one
 * key keep their order. A failed delivery is reported by the next {@link #flush()}.
 */
public final class FeedPublisher implements AutoCloseable {

    private final Producer<String, SpecificRecord> producer;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    public FeedPublisher(final Producer<String, SpecificRecord> producer) {
        this.producer = producer;
    }

    /** A producer to the cluster and registry the configuration names. */
    public static FeedPublisher connect(final HubConfig config, final String clientId) {
        return new FeedPublisher(new KafkaProducer<>(producerProperties(config, clientId), new StringSerializer(),
                valueSerializer(config)));
    }

    /** The producer's settings: the configuration's {@code kafka.*} values with idempotence enforced. */
    public static Map<String, Object> producerProperties(final HubConfig config, final String clientId) {
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // bounded waits: an unreachable cluster fails the intake instead of hanging it
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Duration.ofSeconds(60).toMillis());
        properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());
        return properties;
    }

    private static AvroSerializer<SpecificRecord> valueSerializer(final HubConfig config) {
        final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(config.serdeProperties(), false);
        return serializer;
    }

    /** Sends {@code value} under {@code key}; a {@code null} value is a tombstone. */
    public void send(final String topic, final String key, final SpecificRecord value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, exception) -> {
            if (exception != null) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, exception);
            }
        });
    }

    /** Waits for every send so far; throws when any of them failed. */
    public void flush() {
        producer.flush();
        final long failed = failures.getAndSet(0);
        final Exception first = firstFailure.getAndSet(null);
        if (failed > 0) {
            throw new PublishFailedException(failed + " record(s) could not be delivered: " + first.getMessage(), first);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
