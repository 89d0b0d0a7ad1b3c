package org.csphub.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclPlannerTest {

    private static final String SMALL = String.join("\n",
            "agencies:",
            "  - name: police",
            "    principal: police",
            "    feeds: [police-asb]",
            "    token_sha256: " + Agency.tokenHash("t"),
            "topologies:",
            "  principal: streams",
            "  application_id: metrics-app",
            "research:",
            "  principal: research",
            "  group_prefix: research-",
            "readers:",
            "  - name: portal",
            "    principal: portal",
            "    group_prefix: portal-",
            "    audience: public",
            "operators:",
            "  - name: ops",
            "    principal: ops",
            "    reads: [dead-letter]",
            "    group_prefix: ops-",
            "");

    @Test
    void shouldGrantEachRoleExactlyWhatItNeeds() {
        final List<AclBinding> plan = AclPlanner.plan(AccessPolicy.parse(SMALL, "small.yaml"));

        assertThat(plan).containsExactlyInAnyOrder(
                // the agency: its own raw and dead-letter topics, idempotent producer
                allow("police", topic("csp.raw.police-asb"), AclOperation.WRITE),
                allow("police", topic("csp.raw.police-asb"), AclOperation.DESCRIBE),
                allow("police", topic("csp.dlq.police-asb"), AclOperation.WRITE),
                allow("police", topic("csp.dlq.police-asb"), AclOperation.DESCRIBE),
                allow("police", cluster(), AclOperation.IDEMPOTENT_WRITE),
                // the topologies: read every raw topic, write (and read back) metrics, write the published
                // topics and their dead letters, EOS v2
                allow("streams", topic("csp.raw.police-asb"), AclOperation.READ),
                allow("streams", topic("csp.raw.ambulance-callouts"), AclOperation.READ),
                allow("streams", topic("csp.raw.idva-referrals"), AclOperation.READ),
                allow("streams", topic("csp.raw.fire-incidents"), AclOperation.READ),
                allow("streams", topic("csp.raw.police-crime"), AclOperation.READ),
                allow("streams", topic("csp.raw.needle-finds"), AclOperation.READ),
                allow("streams", topic("csp.raw.ed-assaults"), AclOperation.READ),
                allow("streams", topic("csp.metrics.asb"), AclOperation.READ),
                allow("streams", topic("csp.metrics.asb"), AclOperation.WRITE),
                allow("streams", topic("csp.metrics.ambulance"), AclOperation.READ),
                allow("streams", topic("csp.metrics.ambulance"), AclOperation.WRITE),
                allow("streams", topic("csp.metrics.idva"), AclOperation.READ),
                allow("streams", topic("csp.metrics.idva"), AclOperation.WRITE),
                allow("streams", topic("csp.metrics.fire"), AclOperation.READ),
                allow("streams", topic("csp.metrics.fire"), AclOperation.WRITE),
                allow("streams", topic("csp.metrics.crime"), AclOperation.READ),
                allow("streams", topic("csp.metrics.crime"), AclOperation.WRITE),
                allow("streams", topic("csp.metrics.needles"), AclOperation.READ),
                allow("streams", topic("csp.metrics.needles"), AclOperation.WRITE),
                allow("streams", topic("csp.metrics.ed"), AclOperation.READ),
                allow("streams", topic("csp.metrics.ed"), AclOperation.WRITE),
                allow("streams", topic("csp.published.asb"), AclOperation.WRITE),
                allow("streams", topic("csp.published.ambulance"), AclOperation.WRITE),
                allow("streams", topic("csp.published.idva"), AclOperation.WRITE),
                allow("streams", topic("csp.published.fire"), AclOperation.WRITE),
                allow("streams", topic("csp.published.crime"), AclOperation.WRITE),
                allow("streams", topic("csp.published.needles"), AclOperation.WRITE),
                allow("streams", topic("csp.published.ed"), AclOperation.WRITE),
                allow("streams", topic("csp.dlq.streams"), AclOperation.WRITE),
                allow("streams", new ResourcePattern(ResourceType.GROUP, "metrics-app", PatternType.LITERAL),
                        AclOperation.READ),
                allow("streams", prefixed(ResourceType.TOPIC, "metrics-app"), AclOperation.CREATE),
                allow("streams", prefixed(ResourceType.TOPIC, "metrics-app"), AclOperation.READ),
                allow("streams", prefixed(ResourceType.TOPIC, "metrics-app"), AclOperation.WRITE),
                allow("streams", prefixed(ResourceType.TOPIC, "metrics-app"), AclOperation.DELETE),
                allow("streams", prefixed(ResourceType.TOPIC, "metrics-app"), AclOperation.DESCRIBE),
                allow("streams", prefixed(ResourceType.TOPIC, "metrics-app"), AclOperation.DESCRIBE_CONFIGS),
                allow("streams", prefixed(ResourceType.TRANSACTIONAL_ID, "metrics-app"), AclOperation.WRITE),
                allow("streams", prefixed(ResourceType.TRANSACTIONAL_ID, "metrics-app"), AclOperation.DESCRIBE),
                allow("streams", cluster(), AclOperation.IDEMPOTENT_WRITE),
                // the research group, a partner by default: the metric topics (full figures), the published
                // (disclosure-controlled) topics and its own groups
                allow("research", topic("csp.metrics.asb"), AclOperation.READ),
                allow("research", topic("csp.metrics.ambulance"), AclOperation.READ),
                allow("research", topic("csp.metrics.idva"), AclOperation.READ),
                allow("research", topic("csp.metrics.fire"), AclOperation.READ),
                allow("research", topic("csp.metrics.crime"), AclOperation.READ),
                allow("research", topic("csp.metrics.needles"), AclOperation.READ),
                allow("research", topic("csp.metrics.ed"), AclOperation.READ),
                allow("research", topic("csp.published.asb"), AclOperation.READ),
                allow("research", topic("csp.published.ambulance"), AclOperation.READ),
                allow("research", topic("csp.published.idva"), AclOperation.READ),
                allow("research", topic("csp.published.fire"), AclOperation.READ),
                allow("research", topic("csp.published.crime"), AclOperation.READ),
                allow("research", topic("csp.published.needles"), AclOperation.READ),
                allow("research", topic("csp.published.ed"), AclOperation.READ),
                allow("research", prefixed(ResourceType.GROUP, "research-"), AclOperation.READ),
                // the public portal: the published topics only, and its own groups
                allow("portal", topic("csp.published.asb"), AclOperation.READ),
                allow("portal", topic("csp.published.ambulance"), AclOperation.READ),
                allow("portal", topic("csp.published.idva"), AclOperation.READ),
                allow("portal", topic("csp.published.fire"), AclOperation.READ),
                allow("portal", topic("csp.published.crime"), AclOperation.READ),
                allow("portal", topic("csp.published.needles"), AclOperation.READ),
                allow("portal", topic("csp.published.ed"), AclOperation.READ),
                allow("portal", prefixed(ResourceType.GROUP, "portal-"), AclOperation.READ),
                // the operator: describe everything of the hub, read the dead letters it was given
                allow("ops", prefixed(ResourceType.TOPIC, "csp."), AclOperation.DESCRIBE),
                allow("ops", prefixed(ResourceType.TOPIC, "csp."), AclOperation.DESCRIBE_CONFIGS),
                allow("ops", topic("csp.dlq.police-asb"), AclOperation.READ),
                allow("ops", topic("csp.dlq.ambulance-callouts"), AclOperation.READ),
                allow("ops", topic("csp.dlq.idva-referrals"), AclOperation.READ),
                allow("ops", topic("csp.dlq.fire-incidents"), AclOperation.READ),
                allow("ops", topic("csp.dlq.police-crime"), AclOperation.READ),
                allow("ops", topic("csp.dlq.needle-finds"), AclOperation.READ),
                allow("ops", topic("csp.dlq.ed-assaults"), AclOperation.READ),
                allow("ops", topic("csp.dlq.streams"), AclOperation.READ),
                allow("ops", prefixed(ResourceType.GROUP, "ops-"), AclOperation.READ),
                allow("ops", new ResourcePattern(ResourceType.GROUP, "metrics-app", PatternType.LITERAL),
                        AclOperation.DESCRIBE),
                allow("ops", prefixed(ResourceType.GROUP, "research-"), AclOperation.DESCRIBE),
                allow("ops", prefixed(ResourceType.GROUP, "portal-"), AclOperation.DESCRIBE),
                allow("ops", cluster(), AclOperation.DESCRIBE));
    }

    @Test
    void shouldGrantTheResearchGroupOnlyThePublishedTopicsWhenItsAudienceIsPublic() {
        final List<AclBinding> plan = AclPlanner.plan(AccessPolicy.parse(SMALL.replace("  group_prefix: research-",
                "  group_prefix: research-\n  audience: public"), "small.yaml"));

        assertThat(plan).filteredOn(binding -> binding.entry().principal().equals("User:research"))
                .extracting(binding -> binding.pattern().name())
                .containsExactlyInAnyOrder("csp.published.asb", "csp.published.ambulance", "csp.published.idva",
                        "csp.published.fire", "csp.published.crime", "csp.published.needles", "csp.published.ed",
                        "research-");
    }

    @Test
    void shouldGiveTheSamePlanInTheSameOrderEveryTime() {
        final AccessPolicy policy = AccessPolicy.parse(SMALL, "small.yaml");

        assertThat(AclPlanner.plan(policy)).containsExactlyElementsOf(AclPlanner.plan(policy));
        assertThat(AclPlanner.plan(policy).get(0)).isEqualTo(allow("ops", cluster(), AclOperation.DESCRIBE));
    }

    @Test
    void shouldDescribeABindingOnOneLine() {
        assertThat(AclPlanner.describe(allow("police", topic("csp.raw.police-asb"), AclOperation.WRITE)))
                .isEqualTo("ALLOW User:police WRITE on TOPIC csp.raw.police-asb (LITERAL)");
    }

    private static AclBinding allow(final String user, final ResourcePattern resource, final AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static ResourcePattern topic(final String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(final ResourceType type, final String prefix) {
        return new ResourcePattern(type, prefix, PatternType.PREFIXED);
    }

    private static ResourcePattern cluster() {
        return new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
    }
}
