package org.csphub.hub.operations;

import org.apache.kafka.streams.KafkaStreams;
import org.csphub.hub.server.ReadinessCheck;
import org.csphub.streams.MetricsApplication;

/**
 * The topologies' checks. Ready while they run: a rebalance is not readiness lost, since it ends by
 * itself. Alive until they have stopped for good (after repeated stream-thread failures, when the
 * detail says why).
 */
public final class TopologyReadiness implements ReadinessCheck {

    private final MetricsApplication application;
    private final boolean liveness;

    private TopologyReadiness(final MetricsApplication application, final boolean liveness) {
        this.application = application;
        this.liveness = liveness;
    }

    /** The check for {@code /ready}. */
    public static TopologyReadiness readiness(final MetricsApplication application) {
        return new TopologyReadiness(application, false);
    }

    /** The check for {@code /health}: down only once the topologies have stopped for good. */
    public static TopologyReadiness liveness(final MetricsApplication application) {
        return new TopologyReadiness(application, true);
    }

    @Override
    public String name() {
        return "topologies";
    }

    @Override
    public Result check() {
        final KafkaStreams.State state = application.streams().state();
        final boolean passes = liveness
                ? state != KafkaStreams.State.ERROR && application.failure().isEmpty()
                : state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        return passes ? Result.ready(state.name())
                : Result.notReady(application.failure().map(why -> state.name() + ": " + why).orElse(state.name()));
    }
}
