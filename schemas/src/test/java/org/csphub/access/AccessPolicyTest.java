package org.csphub.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessPolicyTest {

    private static final String POLICE_HASH = Agency.tokenHash("police-secret");
    private static final String FIRE_HASH = Agency.tokenHash("fire-secret");

    /** A valid file; the tests below break one line of it at a time. */
    private static String file(final String policeFeeds, final String firePrincipal, final String fireFeeds,
            final String researchPrincipal) {
        return String.join("\n",
                "agencies:",                                   // 1
                "  - name: police",                            // 2
                "    principal: csp-police",                   // 3
                "    feeds: " + policeFeeds,                   // 4
                "    token_sha256: " + POLICE_HASH,            // 5
                "  - name: fire",                              // 6
                "    principal: " + firePrincipal,             // 7
                "    feeds: " + fireFeeds,                     // 8
                "    token_sha256: " + FIRE_HASH,              // 9
                "topologies:",                                 // 10
                "  principal: csp-topologies",                 // 11
                "  application_id: csp-hub-metrics",           // 12
                "research:",                                   // 13
                "  principal: " + researchPrincipal,           // 14
                "  group_prefix: csp-research",                // 15
                "operators:",                                  // 16
                "  - name: operations",                        // 17
                "    principal: csp-operations",               // 18
                "    reads: [dead-letter, metrics]",           // 19
                "    group_prefix: csp-operations",            // 20
                "");
    }

    private static String valid() {
        return file("[police-asb]", "csp-fire", "[fire-incidents]", "csp-research");
    }

    @Test
    void shouldReadEveryRoleOfAConsistentFile() {
        final AccessPolicy policy = AccessPolicy.parse(valid(), "access.yaml");

        assertThat(policy.agencies()).containsExactly(
                new Agency("police", Set.of(FeedCatalog.shipped().feed("police-asb")), "csp-police", POLICE_HASH, 2),
                new Agency("fire", Set.of(FeedCatalog.shipped().feed("fire-incidents")), "csp-fire", FIRE_HASH, 6));
        assertThat(policy.topologies()).isEqualTo(new Topologies("csp-topologies", "csp-hub-metrics"));
        assertThat(policy.research()).contains(new MetricReader("csp-research", "csp-research"));
        assertThat(policy.sinks()).isEmpty();
        assertThat(policy.operators()).containsExactly(new Operator("operations", "csp-operations",
                Set.of(TopicKind.DEAD_LETTER, TopicKind.METRICS), "csp-operations"));
        assertThat(policy.principals()).containsExactly("csp-police", "csp-fire", "csp-topologies", "csp-research",
                "csp-operations");
        assertThat(policy.publisherOf(FeedCatalog.shipped().feed("fire-incidents")).map(Agency::name)).contains("fire");
        assertThat(policy.publisherOf(FeedCatalog.shipped().feed("idva-referrals"))).isEmpty();
    }

    @Test
    void shouldFindTheAgencyOfATokenAndOnlyThatAgency() {
        final AccessPolicy policy = AccessPolicy.parse(valid(), "access.yaml");

        assertThat(policy.agencyForToken("police-secret").map(Agency::name)).contains("police");
        assertThat(policy.agencyForToken("fire-secret").map(Agency::name)).contains("fire");
        assertThat(policy.agencyForToken("police-secret ")).isEmpty();
        assertThat(policy.agencyForToken(POLICE_HASH)).isEmpty();
        assertThat(policy.agency("police").orElseThrow().mayPublish(FeedCatalog.shipped().feed("fire-incidents"))).isFalse();
        assertThat(policy.agency("police").orElseThrow().toString()).doesNotContain(POLICE_HASH);
    }

    @Test
    void shouldLoadTheShippedExample(@TempDir final Path dir) throws Exception {
        final Path path = dir.resolve("access.yaml");
        Files.writeString(path, AccessPolicy.example());

        final AccessPolicy policy = AccessPolicy.load(path);

        assertThat(policy.agencies()).extracting(Agency::name).containsExactly("police", "ambulance", "idva", "fire",
                "ed", "council");
        assertThat(policy.agencyForToken("example-idva-token").map(Agency::name)).contains("idva");
        assertThat(policy.agencyForToken("example-ed-token").map(Agency::name)).contains("ed");
        assertThat(policy.agencyForToken("example-council-token").map(Agency::name)).contains("council");
        assertThat(policy.principals()).contains("csp-ed", "csp-council");
        assertThat(policy.sinks()).contains(new MetricReader("csp-sinks", "csp-hub-sinks"));
    }

    @Test
    void shouldRefuseAFeedOwnedByTwoAgencies() {
        assertRefused(file("[police-asb]", "csp-fire", "[fire-incidents, police-asb]", "csp-research"), 8,
                "feed 'police-asb' is already published by agency 'police' (line 2)");
    }

    @Test
    void shouldRefuseAnUnknownFeed() {
        assertRefused(file("[police-asb, police-burglary]", "csp-fire", "[fire-incidents]", "csp-research"), 4,
                "Unknown feed 'police-burglary'");
    }

    @Test
    void shouldRefuseAPrincipalGivenToTwoAgencies() {
        assertRefused(file("[police-asb]", "csp-police", "[fire-incidents]", "csp-research"), 7,
                "principal 'csp-police' is already agency 'police' (line 3)");
    }

    @Test
    void shouldRefuseAPrincipalGivenToTwoRoles() {
        assertRefused(file("[police-asb]", "csp-fire", "[fire-incidents]", "csp-topologies"), 14,
                "principal 'csp-topologies' is already the topologies (line 11)");
    }

    @Test
    void shouldRefuseAPrincipalWithNoRole() {
        assertRefused(file("[police-asb]", "csp-fire", "[]", "csp-research"), 8,
                "principal 'csp-fire' has no role: agency 'fire' publishes no feed");
    }

    @Test
    void shouldRefuseATokenInPlaceOfItsHash() {
        assertRefused(valid().replace(FIRE_HASH, "fire-secret"), 9, "never the token itself");
    }

    @Test
    void shouldRefuseAnUnknownKey() {
        assertRefused(valid().replace("  group_prefix: csp-research", "  group: csp-research"), 15,
                "unknown key 'group'");
    }

    @Test
    void shouldRefuseAMissingKey() {
        assertRefused(valid().replace("  application_id: csp-hub-metrics\n", ""), 11, "'application_id' is missing");
    }

    @Test
    void shouldRefuseAKeyGivenTwice() {
        assertRefused(valid().replace("    token_sha256: " + FIRE_HASH, "    token_sha256: " + FIRE_HASH
                + "\n    principal: csp-other"), 10, "'principal' is given twice in the same mapping (first on line 7)");
    }

    @Test
    void shouldRefuseGroupPrefixesThatOverlap() {
        assertRefused(valid().replace("  group_prefix: csp-research", "  group_prefix: csp-hub"), 15,
                "'csp-hub' overlaps 'csp-hub-metrics', the topologies' application id (line 12)");
    }

    @Test
    void shouldRefuseAnApplicationIdThatCoversHubTopics() {
        assertRefused(valid().replace("application_id: csp-hub-metrics", "application_id: csp.raw"), 12,
                "is a prefix of the hub topic csp.raw.");
    }

    @Test
    void shouldRefuseAnUnknownKindOfTopicForAnOperator() {
        assertRefused(valid().replace("[dead-letter, metrics]", "[dead-letter, everything]"), 19,
                "unknown kind of topic 'everything'");
    }

    @Test
    void shouldRefuseYamlThatDoesNotParse() {
        assertRefused(valid().replace("  - name: fire", "  - name: [fire"), 7, "not valid YAML");
    }

    private static void assertRefused(final String yaml, final int line, final String message) {
        assertThatThrownBy(() -> AccessPolicy.parse(yaml, "access.yaml"))
                .isInstanceOfSatisfying(InvalidAccessPolicyException.class, e -> {
                    assertThat(e.problem()).contains(message);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("access.yaml, line " + line + ", column ");
                });
    }
}
