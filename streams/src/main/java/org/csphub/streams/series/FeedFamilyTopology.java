package org.csphub.streams.series;

import java.time.LocalDate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.state.KeyValueStore;
import org.csphub.contracts.FamilySpec;
import org.csphub.contracts.FeedContract;
import org.csphub.geography.Population;

/**
 * The one family builder: a feed contract's metric family, from the feed's raw topic (generic records
 * of the contract's schema, keyed by record id, so that a correction replaces and a tombstone
 * retracts) through the {@link SeriesTopology} to its metric and published topics.
 *
 * <p>A family without repeats reads its raw topic as a stream of changes (source {@code f-source},
 * mapper {@code f-contributions}). A family that counts repeats needs each record's flag from its
 * person's other records: the records are read as a table ({@code f-records}), grouped by person
 * into a table of each person's record ids and dates ({@code f-records-by-person},
 * {@code f-person-records-aggregate}, store {@code f-person-records}), and each record is joined to
 * its person's entry (foreign-key join {@code f-repeat-join}, store {@code f-flagged-records}), so
 * that when any record of a person is added, corrected or retracted every record of that person is
 * re-joined and its flag recomputed ({@code f-flagged-changes}).
 */
public final class FeedFamilyTopology {

    private static final char SEPARATOR = '|';

    private final FeedContract contract;
    private final Serde<GenericRecord> recordSerde;
    private final SeriesTopology series;
    private final MetricFamily family;
    private final RecordContributions contributions;

    /**
     * @param recordSerde generic records of the contract's schema, as {@code AvroSerde.generic} reads them
     * @param population  the residents its counts per 1,000 residents divide by
     */
    public FeedFamilyTopology(final FeedContract contract, final Serde<GenericRecord> recordSerde,
            final SeriesTopology series, final String cspCode, final String cspName, final Population population) {
        this.contract = contract;
        this.recordSerde = recordSerde;
        this.series = series;
        this.family = ContractFamilies.of(contract, cspCode, cspName, population);
        this.contributions = new RecordContributions(contract);
    }

    public void build(final StreamsBuilder builder) {
        final String name = family.name();
        final String topic = contract.rawTopic();
        if (contributions.repeat().isEmpty()) {
            series.build(builder, FamilySource.changes(builder, name, topic, recordSerde,
                    record -> contributions.of(record, false)), family);
            return;
        }
        final int withinMonths = contributions.repeat().map(FamilySpec.Repeat::withinMonths).orElseThrow();
        final KTable<String, GenericRecord> records = FamilySource.table(builder, name, topic, recordSerde);
        final KTable<String, PersonRecords> people = records
                .groupBy((id, record) -> KeyValue.pair(contributions.personOf(record),
                                id + SEPARATOR + contributions.dateOf(record).toEpochDay()),
                        Grouped.with(name + "-records-by-person", Serdes.String(), Serdes.String()))
                .aggregate(PersonRecords::empty,
                        (person, entry, aggregate) -> aggregate.with(idOf(entry), dateOf(entry)),
                        (person, entry, aggregate) -> aggregate.without(idOf(entry)),
                        Named.as(name + "-person-records-aggregate"),
                        Materialized.<String, PersonRecords, KeyValueStore<Bytes, byte[]>>as(name + "-person-records")
                                .withKeySerde(Serdes.String()).withValueSerde(PersonRecords.serde()));
        final KTable<String, Contribution> flagged = records.leftJoin(people, contributions::personOf,
                // a left join, so that a record is counted even before its person's entry arrives
                (record, person) -> contributions.of(record, person != null && person.isRepeat(
                        contributions.idOf(record), contributions.dateOf(record), withinMonths)),
                TableJoined.as(name + "-repeat-join"),
                Materialized.<String, Contribution, KeyValueStore<Bytes, byte[]>>as(name + "-flagged-records")
                        .withKeySerde(Serdes.String()).withValueSerde(SeriesSerdes.contribution()));
        final KStream<String, Contribution> changes = flagged.toStream(Named.as(name + "-flagged-changes"));
        series.build(builder, changes, family);
    }

    private static String idOf(final String entry) {
        return entry.substring(0, entry.lastIndexOf(SEPARATOR));
    }

    private static LocalDate dateOf(final String entry) {
        return LocalDate.ofEpochDay(Long.parseLong(entry.substring(entry.lastIndexOf(SEPARATOR) + 1)));
    }
}
