package org.csphub.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.feeds.asb.AsbIncident;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The serde against the servers of a real deployment as containers: Apache Kafka's image and
 * Apicurio Registry's. Runs where a Docker engine is available and is skipped where there is none;
 * the embedded stack covers the same ground everywhere else.
 */
@Tag("integration")
@Tag("docker")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@Testcontainers(disabledWithoutDocker = true)
class ContainerSerdeIT {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.3.1"))
            .withNetwork(NETWORK);

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>(
            DockerImageName.parse("apicurio/apicurio-registry:3.3.3"))
            .withNetwork(NETWORK)
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200));

    @Test
    void shouldRoundTripThroughContainerisedKafkaAndRegistry() throws Exception {
        final String registryUrl = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080)
                + "/apis/ccompat/v7";
        final String topic = "csp.raw.police-asb";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        final SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistryClient.Settings.of(registryUrl));
        try (KafkaProducer<String, AsbIncident> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()), new StringSerializer(),
                new AvroSerializer<>(registry, false))) {
            producer.send(new ProducerRecord<>(topic, "ASB-1", ConfluentWireFormatFixtureTest.expected()))
                    .get(30, TimeUnit.SECONDS);
        }
        final List<AsbIncident> read = new ArrayList<>();
        try (KafkaConsumer<String, AsbIncident> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "container-serde",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new AvroDeserializer<>(registry, AsbIncident.class))) {
            consumer.subscribe(Set.of(topic));
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read.isEmpty() && System.nanoTime() < end) {
                for (final ConsumerRecord<String, AsbIncident> record : consumer.poll(Duration.ofMillis(500))) {
                    read.add(record.value());
                }
            }
        }
        assertThat(read).containsExactly(ConfluentWireFormatFixtureTest.expected());
        assertThat(registry.subjects()).contains(topic + "-value");
    }
}
