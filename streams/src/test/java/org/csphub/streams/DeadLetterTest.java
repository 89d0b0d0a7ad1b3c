package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.metrics.AreaMetricKey;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final Instant T1 = Instant.parse("2021-01-10T10:00:00Z");

    @Test
    void shouldSendAnUnreadableRecordToTheDeadLetterTopicAndCarryOn() {
        try (MetricsTestDriver driver = new MetricsTestDriver()) {
            final TestInputTopic<byte[], byte[]> raw = driver.driver().createInputTopic("csp.raw.police-asb",
                    new ByteArraySerializer(), new ByteArraySerializer());
            final TestOutputTopic<byte[], byte[]> deadLetters = driver.driver().createOutputTopic(Topics.DLQ_STREAMS,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            final byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

            raw.pipeInput(new TestRecord<>("A0".getBytes(StandardCharsets.UTF_8), garbage, T1));
            driver.asb("A1", Records.asb("A1", "2020-09-15T12:00:00Z", AsbCategory.PERSONAL, Records.ABBEY), T1);

            final List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).value()).isEqualTo(garbage);
            assertThat(letters.get(0).headers().lastHeader("__streams.errors.topic").value())
                    .isEqualTo("csp.raw.police-asb".getBytes(StandardCharsets.UTF_8));
            final AreaMetricKey key = MetricsTestDriver.key("asb.incidents", null, null, AreaType.WARD, Records.ABBEY,
                    PeriodType.MONTH, "2020-09");
            assertThat(driver.latest("csp.metrics.asb").get(key).getValue()).isEqualTo(1.0);
        }
    }
}
