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
 *
 * <p>A publisher from {@link #connect} can also write a value in the wire format ahead of its send,
 * on another thread ({@link #prepare}), so that the one thread that sends in order does not spend its
 * time encoding Avro (see {@link AheadEncoder}: the bytes and the schema registrations are the same).
 */
public final class FeedPublisher implements AutoCloseable {

    private final Producer<String, Object> producer;
    /** Writes values ahead of their send; null when the producer writes them all. */
    private final AheadEncoder encoder;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /** A publisher over a producer that serializes the records itself; {@link #prepare} leaves them as they are. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public FeedPublisher(final Producer<String, SpecificRecord> producer) {
        this((Producer) producer, null);
    }

    /** A publisher over a producer whose value serializer is {@code encoder}'s, writing values ahead with it. */
    FeedPublisher(final Producer<String, Object> producer, final AheadEncoder encoder) {
        this.producer = producer;
        this.encoder = encoder;
    }

    /** A producer to the cluster and registry the configuration names. */
    public static FeedPublisher connect(final HubConfig config, final String clientId) {
        final AheadEncoder encoder = new AheadEncoder(valueSerializer(config));
        return new FeedPublisher(new KafkaProducer<>(producerProperties(config, clientId), new StringSerializer(),
                encoder.serializer()), encoder);
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

    /**
     * {@code value} as {@link #send(String, String, Object)} takes it: written in the wire format when
     * this publisher can do so ahead and a record of the topic and schema was sent before, else the
     * record itself (then the send writes it, and reports any error). Safe from several threads at once.
     */
    Object prepare(final String topic, final SpecificRecord value) {
        return encoder == null ? value : encoder.prepare(topic, value);
    }

    /** Sends {@code value} under {@code key}; a {@code null} value is a tombstone. */
    public void send(final String topic, final String key, final SpecificRecord value) {
        send(topic, key, (Object) value);
    }

    /** Sends a value from {@link #prepare}, or a record, under {@code key}; {@code null} is a tombstone. */
    void send(final String topic, final String key, final Object value) {
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
