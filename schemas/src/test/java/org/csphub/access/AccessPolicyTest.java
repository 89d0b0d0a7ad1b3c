package org.csphub.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
        // no audience given: the research group is a partner
        assertThat(policy.research()).contains(new MetricReader("research", "csp-research", "csp-research",
                Audience.PARTNER, null, 14));
        assertThat(policy.readers()).isEmpty();
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
        assertThat(policy.sinks()).map(MetricReader::principal).contains("csp-sinks");
        assertThat(policy.sinks()).map(MetricReader::audience).contains(Audience.PARTNER);
        assertThat(policy.research()).map(MetricReader::audience).contains(Audience.PARTNER);
        assertThat(policy.readers()).extracting(MetricReader::name, MetricReader::principal, MetricReader::audience)
                .containsExactly(tuple("open-data", "csp-open-data", Audience.PUBLIC));
        assertThat(policy.principals()).contains("csp-research", "csp-open-data");
        assertThat(policy.readerForToken("example-research-token").map(MetricReader::name)).contains("research");
        assertThat(policy.readerForToken("example-open-data-token").map(MetricReader::audience))
                .contains(Audience.PUBLIC);
        assertThat(policy.readerForToken("example-police-token")).isEmpty();
    }

    /** The valid file with a {@code readers:} list after the operators (from line 21). */
    private static String withReaders(final String... lines) {
        return valid() + "readers:\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void shouldReadSeveralReadersEachWithItsAudienceAndToken() {
        final String portalHash = Agency.tokenHash("portal-secret");
        final AccessPolicy policy = AccessPolicy.parse(withReaders(
                "  - name: open-data",                         // 22
                "    principal: csp-open-data",
                "    group_prefix: csp-open-data",
                "    audience: public",
                "    token_sha256: " + portalHash,
                "  - name: council-analysts",                  // 27
                "    principal: csp-council-analysts",
                "    group_prefix: csp-council-analysts",
                "    audience: Partner"), "access.yaml");

        assertThat(policy.readers()).containsExactly(
                new MetricReader("open-data", "csp-open-data", "csp-open-data", Audience.PUBLIC, portalHash, 22),
                new MetricReader("council-analysts", "csp-council-analysts", "csp-council-analysts",
                        Audience.PARTNER, null, 27));
        assertThat(policy.audienceReaders()).extracting(MetricReader::name)
                .containsExactly("research", "open-data", "council-analysts");
        assertThat(policy.readerForToken("portal-secret").map(MetricReader::name)).contains("open-data");
        assertThat(policy.readerForToken("police-secret")).isEmpty();
        assertThat(policy.principals()).endsWith("csp-open-data", "csp-council-analysts", "csp-operations");
        assertThat(policy.readers().get(0).toString()).doesNotContain(portalHash);
    }

    @Test
    void shouldTakeTheResearchGroupsAudienceWhenGiven() {
        final AccessPolicy policy = AccessPolicy.parse(valid().replace("  group_prefix: csp-research",
                "  group_prefix: csp-research\n  audience: public"), "access.yaml");

        assertThat(policy.research()).map(MetricReader::audience).contains(Audience.PUBLIC);
    }

    @Test
    void shouldRefuseAnUnknownAudienceNamingTheValidOnes() {
        final String yaml = valid().replace("  group_prefix: csp-research",
                "  group_prefix: csp-research\n  audience: everyone");

        assertRefused(yaml, 16, "unknown audience 'everyone'; valid audiences are partner, public");
        assertThatThrownBy(() -> AccessPolicy.parse(yaml, "access.yaml"))
                .isInstanceOfSatisfying(InvalidAccessPolicyException.class,
                        e -> assertThat(e.column()).isEqualTo("  audience: ".length() + 1));
    }

    @Test
    void shouldRefuseAReaderWithoutAnAudience() {
        assertRefused(withReaders(
                "  - name: open-data",
                "    principal: csp-open-data",
                "    group_prefix: csp-open-data"), 22, "'audience' is missing");
    }

    @Test
    void shouldRefuseAReaderListedTwice() {
        assertRefused(withReaders(
                "  - name: open-data",
                "    principal: csp-open-data",
                "    group_prefix: csp-open-data",
                "    audience: public",
                "  - name: open-data",                          // 26
                "    principal: csp-open-data-2",
                "    group_prefix: csp-open-data-2",
                "    audience: public"), 26, "reader 'open-data' is listed twice (first on line 22)");
    }

    @Test
    void shouldRefuseAReaderWithAnAgencysPrincipal() {
        assertRefused(withReaders(
                "  - name: open-data",
                "    principal: csp-police",                     // 23
                "    group_prefix: csp-open-data",
                "    audience: public"), 23, "principal 'csp-police' is already agency 'police' (line 3)");
    }

    @Test
    void shouldRefuseATokenGivenToAnAgencyAndAReader() {
        assertRefused(withReaders(
                "  - name: open-data",
                "    principal: csp-open-data",
                "    group_prefix: csp-open-data",
                "    audience: public",
                "    token_sha256: " + FIRE_HASH.toUpperCase(java.util.Locale.ROOT)), 26,
                "the same token_sha256 is given to agency 'fire' (line 9)");
    }

    @Test
    void shouldRefuseAnUnknownKeyOfAReaderNamingTheValidOnes() {
        assertRefused(withReaders(
                "  - name: open-data",
                "    principal: csp-open-data",
                "    group_prefix: csp-open-data",
                "    audience: public",
                "    topics: [metrics]"), 26,
                "unknown key 'topics'; expected one of name, principal, group_prefix, audience, token_sha256");
    }

    @Test
    void shouldRefuseATokenOnTheSinks() {
        assertRefused(valid().replace("research:", "sinks:\n  principal: csp-sinks\n  group_prefix: csp-hub-sinks\n"
                + "  token_sha256: " + Agency.tokenHash("sinks-secret") + "\nresearch:"), 16,
                "unknown key 'token_sha256'; expected one of principal, group_prefix");
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
