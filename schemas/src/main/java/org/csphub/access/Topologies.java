package org.csphub.access;

/**
 * The principal the metric topologies run as. Kafka Streams derives its consumer group, the prefix of
 * its internal topics and of its transactional ids from the application id, so the ACLs do too.
 */
public record Topologies(String principal, String applicationId) {
}
