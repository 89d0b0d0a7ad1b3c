package org.csphub.sinks.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.MetricCell;
import org.csphub.disclosure.Periods;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaType;
import org.csphub.metrics.PeriodType;

/** The SQL of the sink's tables; every method works inside the caller's transaction. */
final class MetricTables {

    private static final String COLUMNS = "metric, dimension, dimension_value, area_type, area_code, period_type, "
            + "period, family, area_name, value, numerator, denominator, suppressed, updated_at";
    private static final String KEY = "metric, dimension, dimension_value, area_type, area_code, period_type, period";
    private static final String KEY_MATCH = "metric = ? AND dimension = ? AND dimension_value = ? AND area_type = ? "
            + "AND area_code = ? AND period_type = ? AND period = ?";

    private MetricTables() {
    }

    /** Upserts rows of {@code table}, each with the topic it came from. */
    static void upsert(final Connection connection, final String table, final Map<AreaMetric, String> metrics)
            throws SQLException {
        if (metrics.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                + ", topic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (" + KEY + ") DO UPDATE SET "
                + "family = EXCLUDED.family, area_name = EXCLUDED.area_name, value = EXCLUDED.value, "
                + "numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, "
                + "suppressed = EXCLUDED.suppressed, updated_at = EXCLUDED.updated_at, topic = EXCLUDED.topic")) {
            for (final Map.Entry<AreaMetric, String> entry : metrics.entrySet()) {
                final AreaMetric metric = entry.getKey();
                statement.setString(15, entry.getValue());
                final MetricCell cell = MetricCell.of(metric);
                bindKey(statement, cell);
                statement.setString(8, cell.family());
                statement.setString(9, metric.getAreaName());
                setNullable(statement, 10, metric.getValue(), Types.DOUBLE);
                setNullable(statement, 11, metric.getNumerator(), Types.BIGINT);
                setNullable(statement, 12, metric.getDenominator(), Types.BIGINT);
                statement.setBoolean(13, metric.getSuppressed());
                statement.setTimestamp(14, Timestamp.from(metric.getUpdatedAt() == null ? Instant.EPOCH
                        : metric.getUpdatedAt()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    static void delete(final Connection connection, final String table, final Collection<MetricCell> cells)
            throws SQLException {
        if (cells.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table + " WHERE "
                + KEY_MATCH)) {
            for (final MetricCell cell : cells) {
                bindKey(statement, cell);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Every row of {@code table}. */
    static List<AreaMetric> read(final Connection connection, final String table) throws SQLException {
        final List<AreaMetric> metrics = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                + " ORDER BY " + KEY)) {
            readInto(statement, metrics);
        }
        return metrics;
    }

    private static void readInto(final PreparedStatement statement, final List<AreaMetric> metrics)
            throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                metrics.add(AreaMetric.newBuilder()
                        .setMetric(rows.getString(1))
                        .setDimension(emptyToNull(rows.getString(2)))
                        .setDimensionValue(emptyToNull(rows.getString(3)))
                        .setAreaType(AreaType.valueOf(rows.getString(4)))
                        .setAreaCode(rows.getString(5))
                        .setPeriodType(PeriodType.valueOf(rows.getString(6)))
                        .setPeriod(rows.getString(7))
                        .setAreaName(rows.getString(9))
                        .setValue(rows.getObject(10) == null ? null : rows.getDouble(10))
                        .setNumerator(rows.getObject(11) == null ? null : rows.getLong(11))
                        .setDenominator(rows.getObject(12) == null ? null : rows.getLong(12))
                        .setSuppressed(rows.getBoolean(13))
                        .setUpdatedAt(rows.getTimestamp(14).toInstant())
                        .build());
            }
        }
    }

    /** The topic id stored with each topic's offsets (null where none was stored). */
    static Map<String, String> storedTopicIds(final Connection connection) throws SQLException {
        final Map<String, String> ids = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT topic, topic_id FROM sink_offset");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.put(rows.getString(1), rows.getString(2));
            }
        }
        return ids;
    }

    /** Forgets a topic: the rows that came from it, in either table, and its offsets. */
    static int forgetTopic(final Connection connection, final String topic) throws SQLException {
        int deleted = 0;
        for (final String table : List.of("area_metric", "published_area_metric")) {
            try (PreparedStatement rows = connection.prepareStatement("DELETE FROM " + table + " WHERE topic = ?")) {
                rows.setString(1, topic);
                deleted += rows.executeUpdate();
            }
        }
        try (PreparedStatement offsets = connection.prepareStatement("DELETE FROM sink_offset WHERE topic = ?")) {
            offsets.setString(1, topic);
            offsets.executeUpdate();
        }
        return deleted;
    }

    static Map<TopicPartition, Long> storedOffsets(final Connection connection) throws SQLException {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT topic, partition, next_offset FROM sink_offset");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                offsets.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
            }
        }
        return offsets;
    }

    static void storeOffsets(final Connection connection, final Map<TopicPartition, Long> offsets,
            final Map<String, String> topicIds, final Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO sink_offset (topic, partition, "
                + "next_offset, updated_at, topic_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE "
                + "SET next_offset = EXCLUDED.next_offset, updated_at = EXCLUDED.updated_at, "
                + "topic_id = EXCLUDED.topic_id")) {
            for (final Map.Entry<TopicPartition, Long> entry : offsets.entrySet()) {
                statement.setString(1, entry.getKey().topic());
                statement.setInt(2, entry.getKey().partition());
                statement.setLong(3, entry.getValue());
                statement.setTimestamp(4, Timestamp.from(now));
                statement.setString(5, topicIds.get(entry.getKey().topic()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void bindKey(final PreparedStatement statement, final MetricCell cell) throws SQLException {
        statement.setString(1, cell.metric());
        statement.setString(2, nullToEmpty(cell.dimension()));
        statement.setString(3, nullToEmpty(cell.dimensionValue()));
        statement.setString(4, cell.areaType().name());
        statement.setString(5, cell.areaCode());
        statement.setString(6, cell.periodType().name());
        statement.setString(7, cell.period());
    }

    private static void setNullable(final PreparedStatement statement, final int index, final Object value,
            final int type) throws SQLException {
        if (value == null) {
            statement.setNull(index, type);
        } else {
            statement.setObject(index, value, type);
        }
    }

    private static String nullToEmpty(final String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(final String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
