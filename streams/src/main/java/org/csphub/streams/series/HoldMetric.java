package org.csphub.streams.series;

import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * How long a holding stage's oldest held change has waited, as a Kafka Streams metric of the
 * processor (group {@value #GROUP}, name {@value #NAME}, tagged with its thread, task and stage;
 * exported with the application's other metrics): 0 while the stage holds nothing. The stage records
 * it at every check, so it is at most a check interval old.
 *
 * <p>It tells a catch-up when it is over: once the application's group has committed to the end of
 * its input and internal topics and no stage holds anything, no more output is coming, however long
 * the holds could have lasted.
 */
public final class HoldMetric implements AutoCloseable {

    public static final String GROUP = "csp-hub-coalescing";
    public static final String NAME = "held-ms";

    private final StreamsMetrics metrics;
    private final String task;
    private final String stage;
    private Sensor sensor;

    private HoldMetric(final StreamsMetrics metrics, final String task, final String stage) {
        this.metrics = metrics;
        this.task = task;
        this.stage = stage;
    }

    /** The metric of the stage {@code stage} of the context's task. */
    public static HoldMetric of(final ProcessorContext<?, ?> context, final String stage) {
        return new HoldMetric(context.metrics(), context.taskId().toString(), stage);
    }

    /**
     * Notes how long the oldest held change has waited: 0 for none. The first record registers the
     * metric, tagged with the thread that records it: the stream thread that runs the task's checks.
     */
    public void record(final long heldMs) {
        if (sensor == null) {
            final String thread = Thread.currentThread().getName();
            sensor = metrics.addSensor(String.join(".", GROUP, thread, task, stage), Sensor.RecordingLevel.INFO);
            sensor.add(new MetricName(NAME, GROUP, "How long the stage's oldest held change has waited, in "
                    + "milliseconds (0: it holds nothing)", Map.of("thread-id", thread, "task-id", task,
                    "stage", stage)), new Value());
        }
        sensor.record(heldMs);
    }

    /**
     * How many stages hold changes in {@code metrics} (an application's {@code KafkaStreams#metrics()}),
     * counting only those of the stream threads {@code live} names: a stage of a thread that died
     * without closing its tasks holds nothing any more.
     */
    public static long stagesHolding(final Map<MetricName, ? extends Metric> metrics, final Predicate<String> live) {
        return metrics.entrySet().stream()
                .filter(metric -> metric.getKey().group().equals(GROUP) && metric.getKey().name().equals(NAME))
                .filter(metric -> live.test(metric.getKey().tags().get("thread-id")))
                .filter(metric -> metric.getValue().metricValue() instanceof Number held && held.doubleValue() > 0)
                .count();
    }

    @Override
    public void close() {
        if (sensor != null) {
            metrics.removeSensor(sensor);
            sensor = null;
        }
    }
}
