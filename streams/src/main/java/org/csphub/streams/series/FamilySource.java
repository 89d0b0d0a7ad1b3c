package org.csphub.streams.series;

import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How every family reads its raw topic: keyed by record id, so that a correction replaces and a
 * tombstone retracts (as changes for the {@link CellCombiner}, or as a table where a family joins).
 */
public final class FamilySource {

    private FamilySource() {
    }

    /** The raw topic as a table, source {@code family-source} and store {@code family-records}. */
    public static KTable<String, GenericRecord> table(final StreamsBuilder builder, final String family,
            final String topic, final Serde<GenericRecord> serde) {
        return builder.table(topic, Consumed.with(Serdes.String(), serde).withName(family + "-source"),
                Materialized.<String, GenericRecord, KeyValueStore<Bytes, byte[]>>as(family + "-records")
                        .withKeySerde(Serdes.String()).withValueSerde(serde));
    }

    /**
     * The raw topic as a stream of changes: each record's contribution by record id, null for a
     * tombstone; source {@code family-source}, mapper {@code family-contributions}.
     */
    public static KStream<String, Contribution> changes(final StreamsBuilder builder, final String family,
            final String topic, final Serde<GenericRecord> serde,
            final Function<GenericRecord, Contribution> contribution) {
        return builder.stream(topic, Consumed.with(Serdes.String(), serde).withName(family + "-source"))
                .mapValues(value -> value == null ? null : contribution.apply(value), Named.as(family + "-contributions"));
    }
}
