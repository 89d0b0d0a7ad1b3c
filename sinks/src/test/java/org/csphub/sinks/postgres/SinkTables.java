package org.csphub.sinks.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.csphub.metrics.AreaMetric;

/**
 * The sink's tables as tests of other modules read them, on a connection of their own (so that several
 * reads can share one snapshot of the database): the same SQL the sink uses.
 */
public final class SinkTables {

    private SinkTables() {
    }

    /** Every row of {@code area_metric} or {@code published_area_metric}, the connection's schema first on its path. */
    public static List<AreaMetric> rows(final Connection connection, final String table) throws SQLException {
        return MetricTables.read(connection, table);
    }

    /** The offsets stored in {@code sink_offset}. */
    public static Map<TopicPartition, Long> storedOffsets(final Connection connection) throws SQLException {
        return MetricTables.storedOffsets(connection);
    }
}
