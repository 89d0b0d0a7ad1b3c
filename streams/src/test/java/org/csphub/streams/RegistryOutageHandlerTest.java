package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.csphub.serde.SchemaRegistryException;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Test;

/** An unreadable record goes to the dead-letter topic, unless it is unreadable only because the registry is away. */
class RegistryOutageHandlerTest {

    private static final byte[] KEY = "A1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {0, 0, 0, 0, 4, 2};
    private static final ConsumerRecord<byte[], byte[]> RECORD = new ConsumerRecord<>("csp.raw.fire-incidents", 1, 27,
            KEY, VALUE);

    private record Context(String topic, int partition, long offset, Headers headers, String processorNodeId,
            TaskId taskId, long timestamp, byte[] sourceRawKey, byte[] sourceRawValue) implements ErrorHandlerContext {
    }

    private static DeserializationExceptionHandler.Response handle(final Exception exception) {
        final RegistryOutageHandler handler = new RegistryOutageHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ_STREAMS));
        return handler.handleError(new Context(RECORD.topic(), RECORD.partition(), RECORD.offset(), new RecordHeaders(),
                "source", new TaskId(10, 1), 0L, KEY, VALUE), RECORD, exception);
    }

    @Test
    void shouldStopTheThreadWhenTheRegistryCannotBeReached() {
        final Exception away = new SerializationException("Cannot read a record of topic 'csp.raw.fire-incidents'",
                new SchemaRegistryException("The schema registry at http://127.0.0.1:8081 is unreachable",
                        new ConnectException("Connection refused")));

        final DeserializationExceptionHandler.Response response = handle(away);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldSendARecordOfAnUnknownSchemaToTheDeadLetterTopicAndGoOn() {
        final Exception unknown = new SerializationException("Cannot read a record of topic 'csp.raw.fire-incidents'",
                new SchemaRegistryException("Schema 4 not found", 404, 40403));

        final DeserializationExceptionHandler.Response response = handle(unknown);

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
                .satisfies(letter -> assertThat(letter.topic()).isEqualTo(Topics.DLQ_STREAMS))
                .satisfies(letter -> assertThat(letter.value()).isEqualTo(VALUE));
    }
}
