package org.csphub.producers.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.csphub.serde.SchemaRegistryException;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private final MockProducer<String, GenericRecord> producer = new MockProducer<>(false, null,
            new StringSerializer(), (Serializer<GenericRecord>) (topic, value) -> new byte[0]);
    private final FeedPublisher publisher = new FeedPublisher(producer);

    @Test
    void shouldReportAFailedSendToTheDeliveryThatSentItAloneWhoeverWaitsFirst() {
        final Delivery fire = publisher.delivery();
        final Delivery police = publisher.delivery();
        fire.send("csp.dlq.fire-incidents", "fire.csv:3", null, 3);
        police.send("csp.raw.police-asb", "A1", null, 2);
        producer.errorNext(new RecordTooLargeException("The message is 2097252 bytes"));

        assertThat(police.await()).isEmpty();
        assertThat(fire.await()).containsExactly(new Delivery.Failure(3, "csp.dlq.fire-incidents",
                "RecordTooLargeException: The message is 2097252 bytes", false));
    }

    @Test
    void shouldKeepTheFailuresOfEachLineInLineOrder() {
        final Delivery delivery = publisher.delivery();
        delivery.send("t", "b", null, 9);
        delivery.send("t", "a", null, 4);
        producer.errorNext(new TimeoutException("Expiring 1 record(s)"));
        producer.errorNext(new TimeoutException("Expiring 1 record(s)"));

        assertThat(delivery.await()).extracting(Delivery.Failure::line).containsExactly(4L, 9L);
        assertThat(delivery.futile()).isTrue();
        assertThat(delivery.sent()).isEqualTo(2);
    }

    @Test
    void shouldTellWhatSendingAgainCanOvercome() {
        assertThat(Delivery.isRetriable(new TimeoutException("no leader in time"))).isTrue();
        assertThat(Delivery.isRetriable(new SchemaRegistryException("not reached", new java.io.IOException()))).isTrue();
        assertThat(Delivery.isRetriable(new SchemaRegistryException("busy", 503, 50301))).isTrue();
        assertThat(Delivery.isRetriable(new IllegalStateException("Cannot send after the producer is closed")))
                .isTrue();
        assertThat(Delivery.isRetriable(new org.apache.kafka.common.errors.SerializationException("cannot write",
                new SchemaRegistryException("unreachable", new java.net.ConnectException())))).isTrue();

        assertThat(Delivery.isRetriable(new RecordTooLargeException("too large"))).isFalse();
        assertThat(Delivery.isRetriable(new SchemaRegistryException("incompatible", 409, 409))).isFalse();
        assertThat(Delivery.isRetriable(new TopicAuthorizationException("not allowed"))).isFalse();
    }

    @Test
    void shouldCountASendThatThrowsAgainstItsOwnLine() {
        producer.sendException = new org.apache.kafka.common.errors.SerializationException("cannot write",
                new SchemaRegistryException("The schema registry did not answer", new java.net.ConnectException()));
        final Delivery delivery = publisher.delivery();

        delivery.send("t", "k", null, 12);

        assertThat(delivery.await()).singleElement().satisfies(failure -> {
            assertThat(failure.line()).isEqualTo(12);
            assertThat(failure.retriable()).isTrue();
        });
    }
}
