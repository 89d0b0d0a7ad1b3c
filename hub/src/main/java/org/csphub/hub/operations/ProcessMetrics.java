package org.csphub.hub.operations;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Micrometer's own binders, for what every process has: the JVM, and the Kafka clients and topologies
 * it runs (Kafka Streams' metrics include records processed per second per thread and task, and the
 * state stores' sizes). Close what a {@code bind} returns when the client closes.
 */
public final class ProcessMetrics {

    private ProcessMetrics() {
    }

    /** Memory, garbage collection, threads, class loading, CPU and uptime. */
    public static JvmGcMetrics bindJvm(final MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    public static KafkaClientMetrics bind(final MeterRegistry registry, final Producer<?, ?> producer) {
        final KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }

    public static KafkaClientMetrics bind(final MeterRegistry registry, final Consumer<?, ?> consumer) {
        final KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }

    public static KafkaClientMetrics bind(final MeterRegistry registry, final AdminClient admin) {
        final KafkaClientMetrics metrics = new KafkaClientMetrics(admin);
        metrics.bindTo(registry);
        return metrics;
    }

    /** A topology's metrics: process rate and totals, commit latency, state-store sizes (RocksDB estimates). */
    public static KafkaStreamsMetrics bind(final MeterRegistry registry, final KafkaStreams streams) {
        final KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        return metrics;
    }
}
