package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(EmbeddedStackExtension.class)
class EmbeddedStackIT {

    private static EmbeddedStack stack;

    @BeforeAll
    static void startStack(final EmbeddedStack shared) {
        stack = shared;
    }

    @Test
    void shouldServeAKafkaClientAndTheConfluentCompatibleApi() throws Exception {
        final String topic = "embedded-roundtrip";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k1", "hello")).get(30, TimeUnit.SECONDS);
        }
        assertThat(readAll(topic, 1)).containsExactly("k1=hello");

        final HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.body().trim()).startsWith("[").endsWith("]");
        assertThat(stack.schemaRegistryUrl()).startsWith("http://127.0.0.1:").endsWith("/apis/ccompat/v7");
        assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
    }

    @Test
    void shouldKeepTopicsAndRecordsAcrossABrokerRestart() throws Exception {
        final String topic = "embedded-restart";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "before", "restart")).get(30, TimeUnit.SECONDS);
        }

        stack.kafka().restart(Duration.ofSeconds(60));

        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
        }
        assertThat(readAll(topic, 1)).containsExactly("before=restart");
    }

    @Test
    void shouldEndItsServersWhenTheProcessThatStartedThemIsKilled() throws Exception {
        final Path dataDir = EmbeddedStackExtension.freshDataDir();
        final List<String> command = List.of(JavaRuntime.current().javaExecutable().toString(),
                "-cp", System.getProperty("java.class.path"), StackProcessForTests.class.getName(),
                dataDir.toString());
        final Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
        final List<Long> childPids = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PIDS ")) {
                    for (final String pid : line.substring(5).trim().split(" ")) {
                        childPids.add(Long.parseLong(pid));
                    }
                    break;
                }
            }
            assertThat(childPids).as("pids of the broker and registry children").hasSize(2);
            for (final long pid : childPids) {
                assertThat(ProcessHandle.of(pid)).as("child %d before the kill", pid).isPresent();
            }

            parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

            for (final long pid : childPids) {
                final Optional<ProcessHandle> child = ProcessHandle.of(pid);
                child.ifPresent(handle -> handle.onExit().orTimeout(60, TimeUnit.SECONDS).join());
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("child %d after its parent was killed", pid).isFalse();
            }
        } finally {
            parent.destroyForcibly();
            for (final long pid : childPids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    private static List<String> readAll(final String topic, final int expected) {
        final List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-it-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < end) {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.key() + "=" + record.value());
                }
            }
        }
        return values;
    }
}
