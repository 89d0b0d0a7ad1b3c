package org.csphub.topics;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How many copies of each partition the hub keeps, and how many of them must hold a write before it is
 * acknowledged ({@code min.insync.replicas}, with the producers' {@code acks=all}). The configured
 * {@code topics.replication.factor}, or with {@link #FOLLOW_CLUSTER} min(3, brokers) of the cluster at hand;
 * two replicas in sync when there are three or more, so that one broker may be down without stopping
 * writes and an acknowledged write survives losing any one broker.
 */
public record Replication(short factor, int minInSyncReplicas) {

    /** The configured factor that means: as many as the cluster has brokers, up to three. */
    public static final short FOLLOW_CLUSTER = -1;
    private static final int MOST = 3;

    public Replication {
        if (factor < 1) {
            throw new IllegalArgumentException("A replication factor is at least 1, not " + factor);
        }
    }

    /** {@code factor} copies, two of them in sync when there are three or more. */
    public static Replication of(final int factor) {
        return new Replication((short) factor, factor >= MOST ? 2 : 1);
    }

    /** What a cluster of {@code brokers} brokers gets when the factor follows the cluster. */
    public static Replication forBrokers(final int brokers) {
        return of(Math.max(1, Math.min(MOST, brokers)));
    }

    /** The configured factor, or with {@link #FOLLOW_CLUSTER} (any value below 1) that of {@code brokers} brokers. */
    public static Replication of(final int configured, final int brokers) {
        return configured >= 1 ? of(configured) : forBrokers(brokers);
    }

    /** The configured factor, or with {@link #FOLLOW_CLUSTER} (any value below 1) the cluster's, asked of {@code admin}. */
    public static Replication resolve(final int configured, final Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (configured >= 1) {
            return of(configured);
        }
        return forBrokers(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
    }

    /** The topic setting that goes with the factor. */
    public Map<String, String> topicConfig() {
        return Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInSyncReplicas));
    }
}
