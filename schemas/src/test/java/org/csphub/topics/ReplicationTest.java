package org.csphub.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplicationTest {

    @Test
    void shouldFollowTheClusterUpToThreeCopiesWithTwoInSyncFromThree() {
        assertThat(Replication.forBrokers(1)).isEqualTo(new Replication((short) 1, 1));
        assertThat(Replication.forBrokers(2)).isEqualTo(new Replication((short) 2, 1));
        assertThat(Replication.forBrokers(3)).isEqualTo(new Replication((short) 3, 2));
        assertThat(Replication.forBrokers(9)).isEqualTo(new Replication((short) 3, 2));
    }

    @Test
    void shouldKeepAConfiguredFactorWithoutAskingTheCluster() throws Exception {
        // no admin client: a configured factor needs none
        assertThat(Replication.resolve(5, null)).isEqualTo(new Replication((short) 5, 2));
        assertThat(Replication.resolve(1, null).topicConfig()).containsEntry("min.insync.replicas", "1");
    }

    @Test
    void shouldRefuseAFactorBelowOne() {
        assertThatThrownBy(() -> new Replication((short) 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
