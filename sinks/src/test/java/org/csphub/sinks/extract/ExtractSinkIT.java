package org.csphub.sinks.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csphub.sinks.MetricFixtures.CAMBRIDGE;
import static org.csphub.sinks.MetricFixtures.metric;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.embedded.EmbeddedStack;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.serde.AvroSerializer;
import org.csphub.sinks.MetricFixtures;
import org.csphub.sinks.snapshot.MetricSnapshotReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class ExtractSinkIT {

    private static final Instant READ_AT = Instant.parse("2021-04-06T08:00:00Z");

    @Test
    void shouldRewriteTheExtractOnlyWhenTheTopicsMoveOn(final EmbeddedStack stack, @TempDir final Path folder)
            throws Exception {
        final String topic = "sinks-extract-it.metrics.asb";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        final Map<String, Object> serde = Map.of("schema.registry.url", stack.schemaRegistryUrl());
        final AreaMetric september = metric("asb.incidents", null, null, AreaType.DISTRICT, CAMBRIDGE, "Cambridge",
                PeriodType.MONTH, "2020-09", 383.0);
        final ExtractSink sink = new ExtractSink(new MetricSnapshotReader(List.of(topic),
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), serde,
                Clock.fixed(READ_AT, ZoneOffset.UTC)),
                new ExtractWriter(new DisclosureControl(5, ward -> Optional.empty())), folder, Duration.ofSeconds(1));

        produce(stack, topic, serde, september);
        assertThat(sink.refresh()).isTrue();
        assertThat(sink.refresh()).isFalse();
        produce(stack, topic, serde, AreaMetric.newBuilder(september).setValue(463.0).build());
        assertThat(sink.refresh()).isTrue();

        assertThat(Files.readAllLines(folder.resolve("asb-month.csv"), StandardCharsets.UTF_8)).containsExactly(
                String.join(",", ExtractWriter.COLUMNS),
                "asb.incidents,,,DISTRICT,E07000008,Cambridge,MONTH,2020-09,463,,,false," + MetricFixtures.UPDATED);
        assertThat(new ObjectMapper().readTree(folder.resolve("manifest.json").toFile()).get("input_offsets")
                .findValues("next_offset").stream().mapToLong(node -> node.asLong()).sum()).isEqualTo(2);
    }

    private static void produce(final EmbeddedStack stack, final String topic, final Map<String, Object> serde,
            final AreaMetric metric) throws Exception {
        final AvroSerializer<AreaMetricKey> keys = new AvroSerializer<>();
        keys.configure(serde, true);
        final AvroSerializer<AreaMetric> values = new AvroSerializer<>();
        values.configure(serde, false);
        try (KafkaProducer<AreaMetricKey, AreaMetric> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), keys, values)) {
            producer.send(new ProducerRecord<>(topic, MetricFixtures.keyOf(metric), metric)).get();
        }
    }
}
