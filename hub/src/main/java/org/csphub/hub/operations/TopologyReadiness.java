package org.csphub.hub.operations;

import org.apache.kafka.streams.KafkaStreams;
import org.csphub.hub.server.ReadinessCheck;
import org.csphub.streams.MetricsApplication;

/**
 * Ready while the topologies run; a rebalance is not readiness lost, since it ends by itself. When
 * they stopped by themselves after repeated stream-thread failures, the detail says why, and
 * {@link #liveness()} fails too.
 */
public final class TopologyReadiness implements ReadinessCheck {

    private final MetricsApplication application;

    public TopologyReadiness(final MetricsApplication application) {
        this.application = application;
    }

    @Override
    public String name() {
        return "topologies";
    }

    @Override
    public Result check() {
        final KafkaStreams.State state = application.streams().state();
        if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING) {
            return Result.ready(state.name());
        }
        return Result.notReady(application.failure().map(why -> state.name() + ": " + why).orElse(state.name()));
    }

    /** A check for {@code /health}: down only once the topologies have stopped for good. */
    public ReadinessCheck liveness() {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return "topologies";
            }

            @Override
            public Result check() {
                final KafkaStreams.State state = application.streams().state();
                final boolean stopped = state == KafkaStreams.State.ERROR || application.failure().isPresent();
                return stopped ? Result.notReady(application.failure().map(why -> state.name() + ": " + why)
                        .orElse(state.name())) : Result.ready(state.name());
            }
        };
    }
}
