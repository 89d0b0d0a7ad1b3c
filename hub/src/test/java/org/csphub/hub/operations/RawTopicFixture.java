package org.csphub.hub.operations;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.serde.AvroSerializer;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;

/** A mock consumer over one-partition raw topics, and police records serialized as the intake would. */
final class RawTopicFixture {

    static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mem://operations-tests");

    final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final AvroSerializer<AsbIncident> serializer = new AvroSerializer<>();
    private long nextOffset;

    RawTopicFixture() {
        serializer.configure(SERDE, false);
        final Node node = new Node(0, "localhost", 9092);
        for (final Feed feed : FeedCatalog.shipped().feeds()) {
            consumer.updatePartitions(feed.rawTopic(), List.of(new PartitionInfo(feed.rawTopic(), 0, node,
                    new Node[] {node}, new Node[] {node})));
            final TopicPartition partition = new TopicPartition(feed.rawTopic(), 0);
            consumer.updateBeginningOffsets(Map.of(partition, 0L));
            consumer.updateEndOffsets(Map.of(partition, 0L));
        }
    }

    /** Appends a police record that happened at {@code reportedAt} and was received at {@code receivedAt}. */
    void appendPolice(final String id, final Instant reportedAt, final Instant receivedAt) {
        final AsbIncident incident = AsbIncident.newBuilder().setIncidentId(id).setReportedAt(reportedAt)
                .setCategory(AsbCategory.NUISANCE).setArea(Area.newBuilder().setWardCode("E05013050")
                        .setWardName("Abbey").setDistrictCode("E07000008").setDistrictName("Cambridge").build())
                .setReceivedAt(receivedAt).setSource("police.csv:" + (nextOffset + 2)).build();
        final byte[] value = serializer.serialize(FeedCatalog.shipped().feed("police-asb").rawTopic(), incident);
        final TopicPartition partition = new TopicPartition(FeedCatalog.shipped().feed("police-asb").rawTopic(), 0);
        final long offset = nextOffset++;
        // records can only be added once the monitor has assigned the partition
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(partition.topic(), 0, offset,
                id.getBytes(java.nio.charset.StandardCharsets.UTF_8), value)));
        consumer.updateEndOffsets(Map.of(partition, nextOffset));
    }
}
