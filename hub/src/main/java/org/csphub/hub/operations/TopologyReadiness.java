package org.csphub.hub.operations;

import org.apache.kafka.streams.KafkaStreams;
import org.csphub.hub.server.ReadinessCheck;

/** Ready while the topologies run; a rebalance is not readiness lost, since it ends by itself. */
public final class TopologyReadiness implements ReadinessCheck {

    private final KafkaStreams streams;

    public TopologyReadiness(final KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public String name() {
        return "topologies";
    }

    @Override
    public Result check() {
        final KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                ? Result.ready(state.name()) : Result.notReady(state.name());
    }
}
