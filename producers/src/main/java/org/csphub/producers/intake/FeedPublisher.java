package org.csphub.producers.intake;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.config.HubConfig;
import org.csphub.serde.AvroSerializer;
import org.csphub.serde.InMemorySchemaRegistry;
import org.csphub.serde.SerdeConfig;

/**
 * Sends accepted rows and dead letters with one idempotent producer ({@code acks=all},
 * {@code enable.idempotence=true}): a retried send never duplicates a record, and the records of one
 * key keep their order. An intake sends through a {@link Delivery} of its own, which reports the
 * failures of its own sends only, by line.
 *
 * <p>A publisher from {@link #connect} can also write a value in the wire format ahead of its send,
 * on another thread ({@link #prepare}), so that the one thread that sends in order does not spend its
 * time encoding Avro (see {@link AheadEncoder}: the bytes and the schema registrations are the same).
 */
public final class FeedPublisher implements AutoCloseable {

    private final Producer<String, Object> producer;
    /** Writes values ahead of their send; null when the producer writes them all. */
    private final AheadEncoder encoder;
    /** The sends made through {@link #send(String, String, GenericRecord)}, reported by the next {@link #flush()}. */
    private final AtomicReference<Delivery> loose;

    /** A publisher over a producer that serializes the records itself; {@link #prepare} leaves them as they are. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public FeedPublisher(final Producer<String, GenericRecord> producer) {
        this((Producer) producer, null);
    }

    /** A publisher over a producer whose value serializer is {@code encoder}'s, writing values ahead with it. */
    FeedPublisher(final Producer<String, Object> producer, final AheadEncoder encoder) {
        this.producer = producer;
        this.encoder = encoder;
        this.loose = new AtomicReference<>(new Delivery(producer));
    }

    /** A producer to the cluster and registry the configuration names. */
    public static FeedPublisher connect(final HubConfig config, final String clientId) {
        final AheadEncoder encoder = new AheadEncoder(valueSerializer(config));
        return new FeedPublisher(new KafkaProducer<>(producerProperties(config, clientId), new StringSerializer(),
                encoder.serializer()), encoder);
    }

    /**
     * A publisher that sends nothing: each record is written in the wire format as a real send writes it
     * (against a schema registry in memory) and then dropped, and every send succeeds. For checking
     * exports without a cluster ({@code hub publish --dry-run}).
     */
    public static FeedPublisher dryRun(final HubConfig config) {
        final Map<String, Object> serde = new HashMap<>(config.serdeProperties());
        serde.put(SerdeConfig.SCHEMA_REGISTRY_INSTANCE, new InMemorySchemaRegistry());
        final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(serde, false);
        final AheadEncoder encoder = new AheadEncoder(serializer);
        return new FeedPublisher(new DiscardingProducer(encoder.serializer()), encoder);
    }

    /** A producer whose sends succeed at once after their key and value are written, keeping none of them. */
    private static final class DiscardingProducer extends MockProducer<String, Object> {

        DiscardingProducer(final Serializer<Object> valueSerializer) {
            super(true, null, new StringSerializer(), valueSerializer);
        }

        @Override
        public synchronized Future<RecordMetadata> send(final ProducerRecord<String, Object> record,
                final Callback callback) {
            final Future<RecordMetadata> sent = super.send(record, callback);
            clear();
            return sent;
        }
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

    private static AvroSerializer<GenericRecord> valueSerializer(final HubConfig config) {
        final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>();
        serializer.configure(config.serdeProperties(), false);
        return serializer;
    }

    /**
     * {@code value} as {@link #send(String, String, Object)} takes it: written in the wire format when
     * this publisher can do so ahead and a record of the topic and schema was sent before, else the
     * record itself (then the send writes it, and reports any error). Safe from several threads at once.
     */
    Object prepare(final String topic, final GenericRecord value) {
        return encoder == null ? value : encoder.prepare(topic, value);
    }

    /**
     * A new set of sends whose failures are its own: an intake sends each of its rows through one, so
     * that its answer covers exactly its own records.
     */
    public Delivery delivery() {
        return new Delivery(producer);
    }

    /** Sends {@code value} under {@code key}, outside any intake; a {@code null} value is a tombstone. */
    public void send(final String topic, final String key, final GenericRecord value) {
        loose.get().send(topic, key, value, -1);
    }

    /** Waits for every send of {@link #send(String, String, GenericRecord)} so far; throws when any of them failed. */
    public void flush() {
        final List<Delivery.Failure> failed = loose.getAndSet(new Delivery(producer)).await();
        if (!failed.isEmpty()) {
            throw new PublishFailedException(failed.size() + " record(s) could not be delivered: "
                    + failed.get(0).reason(), null);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
