package org.csphub.sinks.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.sinks.MetricFixtures.CAMBRIDGE;
import static org.csphub.sinks.MetricFixtures.metric;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroSerializer;
import org.csphub.sinks.MetricFixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class MetricSnapshotReaderIT {

    private static final Instant READ_AT = Instant.parse("2021-04-06T08:00:00Z");

    @Test
    void shouldKeepTheLatestValueOfEveryKeyAndTheOffsetsReadTo(final EmbeddedStack stack) throws Exception {
        final String topic = "sinks-snapshot-it.metrics.asb";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        final AreaMetric september = metric("asb.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge",
                PeriodType.MONTH, "2020-09", 383.0);
        final AreaMetric corrected = AreaMetric.newBuilder(september).setValue(463.0).build();
        final AreaMetric october = AreaMetric.newBuilder(september).setPeriod("2020-10").setValue(401.0).build();
        final AreaMetric retracted = AreaMetric.newBuilder(september).setPeriod("2020-11").build();
        final Map<String, Object> serde = Map.of("schema.registry.url", stack.schemaRegistryUrl());
        final AvroSerializer<AreaMetricKey> keys = new AvroSerializer<>();
        keys.configure(serde, true);
        final AvroSerializer<AreaMetric> values = new AvroSerializer<>();
        values.configure(serde, false);
        try (KafkaProducer<AreaMetricKey, AreaMetric> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), keys, values)) {
            for (final AreaMetric metric : List.of(september, october, retracted, corrected)) {
                producer.send(new ProducerRecord<>(topic, MetricFixtures.keyOf(metric), metric)).get();
            }
            producer.send(new ProducerRecord<>(topic, MetricFixtures.keyOf(retracted), null)).get();
        }

        final MetricSnapshot snapshot = new MetricSnapshotReader(List.of(topic, "sinks-snapshot-it.missing"),
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), serde,
                Clock.fixed(READ_AT, ZoneOffset.UTC)).read(Duration.ofSeconds(60));

        assertThat(snapshot).isEqualTo(new MetricSnapshot(List.of(october, corrected),
                Map.of(new TopicPartition(topic, 0), 5L), READ_AT));
    }
}
