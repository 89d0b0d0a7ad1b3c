package org.csphub.access;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.Topics;

/**
 * The Kafka ACLs an access policy asks for, and nothing more. Pure: the same policy always gives the
 * same bindings, in the same order. Everything is an ALLOW from any host; the broker denies what no
 * binding allows ({@code allow.everyone.if.no.acl.found=false}).
 */
public final class AclPlanner {

    /** The prefix every topic of the hub starts with. */
    public static final String HUB_TOPIC_PREFIX = "csp.";

    private static final Comparator<AclBinding> ORDER = Comparator.comparing(AclPlanner::sortKey);

    private AclPlanner() {
    }

    /** The bindings of {@code policy}, sorted by principal, resource and operation. */
    public static List<AclBinding> plan(final AccessPolicy policy) {
        final Set<AclBinding> bindings = new LinkedHashSet<>();
        for (final Agency agency : policy.agencies()) {
            for (final Feed feed : agency.feeds()) {
                allow(bindings, agency.principal(), topic(feed.rawTopic()), AclOperation.WRITE, AclOperation.DESCRIBE);
                allow(bindings, agency.principal(), topic(feed.deadLetterTopic()), AclOperation.WRITE,
                        AclOperation.DESCRIBE);
            }
            allow(bindings, agency.principal(), cluster(), AclOperation.IDEMPOTENT_WRITE);
        }
        topologies(bindings, policy.topologies(), policy.catalog());
        policy.sinks().ifPresent(reader -> metricReader(bindings, reader, policy.catalog()));
        for (final MetricReader reader : policy.audienceReaders()) {
            metricReader(bindings, reader, policy.catalog());
        }
        for (final Operator operator : policy.operators()) {
            operator(bindings, operator, policy);
        }
        return bindings.stream().sorted(ORDER).toList();
    }

    private static void topologies(final Set<AclBinding> bindings, final Topologies topologies,
            final FeedCatalog catalog) {
        final String principal = topologies.principal();
        final String id = topologies.applicationId();
        for (final String raw : TopicKind.RAW.topics(catalog)) {
            allow(bindings, principal, topic(raw), AclOperation.READ);
        }
        // the metric topics are read back by the disclosure-control stage
        for (final String metric : TopicKind.METRICS.topics(catalog)) {
            allow(bindings, principal, topic(metric), AclOperation.READ, AclOperation.WRITE);
        }
        for (final String published : TopicKind.PUBLISHED.topics(catalog)) {
            allow(bindings, principal, topic(published), AclOperation.WRITE);
        }
        allow(bindings, principal, topic(Topics.DLQ_STREAMS), AclOperation.WRITE);
        allow(bindings, principal, new ResourcePattern(ResourceType.GROUP, id, PatternType.LITERAL), AclOperation.READ);
        // repartition and changelog topics: created, read, written, purged (DELETE) and checked (DESCRIBE_CONFIGS)
        allow(bindings, principal, new ResourcePattern(ResourceType.TOPIC, id, PatternType.PREFIXED),
                AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE,
                AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        // exactly_once_v2: one transactional id per stream thread, <application id>-<process id>-<thread>
        allow(bindings, principal, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, id, PatternType.PREFIXED),
                AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(bindings, principal, cluster(), AclOperation.IDEMPOTENT_WRITE);
    }

    /** A partner reads the metric topics (full figures) and the published topics, the public the published only. */
    private static void metricReader(final Set<AclBinding> bindings, final MetricReader reader,
            final FeedCatalog catalog) {
        for (final TopicKind kind : reader.audience().reads()) {
            for (final String name : kind.topics(catalog)) {
                allow(bindings, reader.principal(), topic(name), AclOperation.READ);
            }
        }
        allow(bindings, reader.principal(), groupPrefix(reader.groupPrefix()), AclOperation.READ);
    }

    private static void operator(final Set<AclBinding> bindings, final Operator operator, final AccessPolicy policy) {
        final String principal = operator.principal();
        // see every hub topic and its settings, to check freshness and layout
        allow(bindings, principal, new ResourcePattern(ResourceType.TOPIC, HUB_TOPIC_PREFIX, PatternType.PREFIXED),
                AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        for (final TopicKind kind : TopicKind.values()) {
            if (operator.reads().contains(kind)) {
                for (final String name : kind.topics(policy.catalog())) {
                    allow(bindings, principal, topic(name), AclOperation.READ);
                }
            }
        }
        allow(bindings, principal, groupPrefix(operator.groupPrefix()), AclOperation.READ);
        // the other roles' groups: described (lag, members), never joined
        allow(bindings, principal, new ResourcePattern(ResourceType.GROUP, policy.topologies().applicationId(),
                PatternType.LITERAL), AclOperation.DESCRIBE);
        policy.sinks().ifPresent(sinks -> allow(bindings, principal, groupPrefix(sinks.groupPrefix()),
                AclOperation.DESCRIBE));
        for (final MetricReader reader : policy.audienceReaders()) {
            allow(bindings, principal, groupPrefix(reader.groupPrefix()), AclOperation.DESCRIBE);
        }
        allow(bindings, principal, cluster(), AclOperation.DESCRIBE);
    }

    private static void allow(final Set<AclBinding> bindings, final String principal, final ResourcePattern resource,
            final AclOperation... operations) {
        for (final AclOperation operation : operations) {
            bindings.add(new AclBinding(resource, new AccessControlEntry(userPrincipal(principal), "*", operation,
                    AclPermissionType.ALLOW)));
        }
    }

    /** The Kafka principal of a SCRAM user name. */
    public static String userPrincipal(final String name) {
        return "User:" + name;
    }

    static ResourcePattern topic(final String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    static ResourcePattern groupPrefix(final String prefix) {
        return new ResourcePattern(ResourceType.GROUP, prefix, PatternType.PREFIXED);
    }

    static ResourcePattern cluster() {
        return new ResourcePattern(ResourceType.CLUSTER, Resource.CLUSTER_NAME, PatternType.LITERAL);
    }

    /** One line for a binding, e.g. {@code ALLOW User:csp-police WRITE on TOPIC csp.raw.police-asb (LITERAL)}. */
    public static String describe(final AclBinding binding) {
        final ResourcePattern resource = binding.pattern();
        final AccessControlEntry entry = binding.entry();
        return entry.permissionType() + " " + entry.principal() + " " + entry.operation() + " on "
                + resource.resourceType() + " " + resource.name() + " (" + resource.patternType() + ")"
                + ("*".equals(entry.host()) ? "" : " from " + entry.host());
    }

    private static String sortKey(final AclBinding binding) {
        final ResourcePattern resource = binding.pattern();
        return binding.entry().principal() + "\u0000" + resource.resourceType() + "\u0000" + resource.name()
                + "\u0000" + resource.patternType() + "\u0000" + binding.entry().operation()
                + "\u0000" + binding.entry().permissionType() + "\u0000" + binding.entry().host();
    }
}
