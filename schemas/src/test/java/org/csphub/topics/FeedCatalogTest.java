package org.csphub.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csphub.access.AccessPolicy;
import org.csphub.access.AclPlanner;
import org.csphub.access.Agency;
import org.csphub.access.InvalidAccessPolicyException;
import org.csphub.config.HubConfig;
import org.csphub.contracts.InvalidContractException;
import org.csphub.contracts.ShippedContracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedCatalogTest {

    /** A feed the hub does not ship: a council's graffiti reports. */
    static String graffiti(final String slug, final String family) {
        return """
                slug: %s
                title: Graffiti reports
                owner: council
                freshness: P8D
                record:
                  name: GraffitiReport
                  namespace: org.example.graffiti
                  doc: One report of graffiti.
                columns:
                  - name: report_id
                    type: id
                    doc: The council's reference.
                  - name: reported_on
                    type: date
                    doc: When it was reported.
                  - name: surface
                    type: enum
                    values: [WALL, BUS_SHELTER, SIGN, OTHER]
                    symbol: Surface
                    symbol_doc: What was painted.
                    doc: What was painted.
                  - name: offensive
                    type: yes/no
                    doc: Whether it was offensive.
                  - name: tags
                    type: integer
                    min: 0
                    max: 500
                    doc: How many tags.
                  - name: area
                    type: area
                    given_as: [ward, lsoa]
                    doc: The ward and its district.
                family:
                  name: %s
                  period: reported_on
                  levels: [ward, district, csp]
                  breakdowns: [surface]
                  counts:
                    - name: %s.reports
                      by: [surface]
                    - name: %s.tags
                      sum: tags
                    - name: %s.offensive
                      where: {offensive: yes}
                """.formatted(slug, family, family, family, family);
    }

    @TempDir
    Path folder;

    @Test
    void shouldHoldTheShippedFeedsInTheirOrder() {
        final FeedCatalog catalog = FeedCatalog.shipped();

        assertThat(catalog.feeds()).extracting(Feed::slug).containsExactlyElementsOf(ShippedContracts.SLUGS);
        assertThat(catalog.feed("police-asb").rawTopic()).isEqualTo("csp.raw.police-asb");
        assertThat(catalog.feed("POLICE_ASB").deadLetterTopic()).isEqualTo("csp.dlq.police-asb");
        assertThat(catalog.feed("police-asb").schema().getFullName()).isEqualTo("org.csphub.feeds.asb.AsbIncident");
        assertThat(catalog.metricTopics()).containsExactly("csp.metrics.asb", "csp.metrics.ambulance",
                "csp.metrics.idva", "csp.metrics.fire", "csp.metrics.crime", "csp.metrics.needles", "csp.metrics.ed");
        assertThat(catalog.publishedTopics()).containsExactly("csp.published.asb", "csp.published.ambulance",
                "csp.published.idva", "csp.published.fire", "csp.published.crime", "csp.published.needles",
                "csp.published.ed");
        assertThat(catalog.feeds()).allMatch(catalog::isShipped);
    }

    @Test
    void shouldKeepTheFeedsItIsAskedForInItsOwnOrder() {
        final FeedCatalog some = FeedCatalog.shipped().only(List.of("fire-incidents", "POLICE_ASB"));

        assertThat(some.feeds()).extracting(Feed::slug).containsExactly("police-asb", "fire-incidents");
        assertThat(some.metricTopics()).containsExactly("csp.metrics.asb", "csp.metrics.fire");
        assertThatThrownBy(() -> FeedCatalog.shipped().only(List.of("graffiti")))
                .hasMessageContaining("Unknown feed 'graffiti'; valid feeds are police-asb, ");
    }

    @Test
    void shouldAddTheFolderFeedsAfterTheShippedOnes() throws IOException {
        Files.writeString(folder.resolve("graffiti-reports.yaml"), graffiti("graffiti-reports", "graffiti"));
        Files.writeString(folder.resolve("README.txt"), "not a contract");

        final FeedCatalog catalog = FeedCatalog.withFolder(folder);

        assertThat(catalog.feeds()).extracting(Feed::slug).endsWith("graffiti-reports")
                .hasSize(ShippedContracts.SLUGS.size() + 1);
        final Feed graffiti = catalog.feed("graffiti-reports");
        assertThat(graffiti.rawTopic()).isEqualTo("csp.raw.graffiti-reports");
        assertThat(graffiti.deadLetterTopic()).isEqualTo("csp.dlq.graffiti-reports");
        assertThat(graffiti.schema().getFullName()).isEqualTo("org.example.graffiti.GraffitiReport");
        assertThat(catalog.isShipped(graffiti)).isFalse();
        assertThat(catalog.placeOf(graffiti)).isEqualTo(folder.resolve("graffiti-reports.yaml").toString());
        assertThat(catalog.metricTopics()).endsWith("csp.metrics.graffiti");
        assertThat(catalog.publishedTopics()).endsWith("csp.published.graffiti");
        assertThat(TopicProvisioner.allTopics(catalog)).contains("csp.raw.graffiti-reports",
                "csp.dlq.graffiti-reports", "csp.metrics.graffiti", "csp.published.graffiti");
        assertThat(FeedCatalog.shipped().find("graffiti-reports")).isEmpty();
    }

    @Test
    void shouldTakeTheFolderFromTheConfiguration() throws IOException {
        Files.writeString(folder.resolve("graffiti-reports.yaml"), graffiti("graffiti-reports", "graffiti"));

        final HubConfig config = HubConfig.load(Optional.empty(), Map.of(),
                Map.of(HubConfig.FEEDS_DIR, folder.toString()));

        assertThat(FeedCatalog.of(config).find("graffiti-reports")).isPresent();
        assertThat(FeedCatalog.of(HubConfig.defaultsOnly()).feeds()).isEqualTo(FeedCatalog.shipped().feeds());
    }

    @Test
    void shouldRefuseABadContractWithItsFileLineAndColumn() throws IOException {
        final Path file = folder.resolve("graffiti-reports.yaml");
        Files.writeString(file, graffiti("graffiti-reports", "graffiti").replace("type: yes/no", "type: boolean"));

        assertThatThrownBy(() -> FeedCatalog.withFolder(folder)).isInstanceOf(InvalidContractException.class)
                .hasMessageStartingWith(file + ", line 23, column 11:").hasMessageContaining("'boolean'");
    }

    @Test
    void shouldRefuseAFileNotNamedForItsSlug() throws IOException {
        final Path file = folder.resolve("graffiti.yaml");
        Files.writeString(file, graffiti("graffiti-reports", "graffiti"));

        assertThatThrownBy(() -> FeedCatalog.withFolder(folder)).isInstanceOf(InvalidContractException.class)
                .hasMessageStartingWith(file + ", line 1, column 7:")
                .hasMessageContaining("name the file graffiti-reports.yaml");
    }

    @Test
    void shouldRefuseAShippedSlugNamingBothPlaces() throws IOException {
        final Path file = folder.resolve("police-asb.yaml");
        Files.writeString(file, graffiti("police-asb", "graffiti"));

        assertThatThrownBy(() -> FeedCatalog.withFolder(folder)).isInstanceOf(InvalidContractException.class)
                .hasMessageStartingWith(file + ", line 1, column 7:")
                .hasMessageContaining("feed 'police-asb' is already declared by feeds/police-asb.yaml (shipped with the hub)");
    }

    @Test
    void shouldRefuseAFamilyAnotherFeedMakesNamingBothPlaces() throws IOException {
        Files.writeString(folder.resolve("graffiti-reports.yaml"), graffiti("graffiti-reports", "graffiti"));
        final Path second = folder.resolve("graffiti-walls.yaml");
        Files.writeString(second, graffiti("graffiti-walls", "graffiti"));

        assertThatThrownBy(() -> FeedCatalog.withFolder(folder)).isInstanceOf(InvalidContractException.class)
                .hasMessageStartingWith(second + ", line 35, column 9:")
                .hasMessageContaining("metric family 'graffiti' is already made by feed 'graffiti-reports' ("
                        + folder.resolve("graffiti-reports.yaml") + ")");
    }

    @Test
    void shouldLetTheAccessFileNameTheFolderFeedsAndRefuseAnUnknownSlugWithTheKnownOnes() throws IOException {
        Files.writeString(folder.resolve("graffiti-reports.yaml"), graffiti("graffiti-reports", "graffiti"));
        final String access = String.join("\n",
                "agencies:",
                "  - name: council",
                "    principal: csp-council",
                "    feeds: [graffiti-reports]",
                "    token_sha256: " + "ab".repeat(32),
                "topologies:",
                "  principal: csp-topologies",
                "  application_id: csp-hub-metrics",
                "");
        final FeedCatalog catalog = FeedCatalog.withFolder(folder);

        final AccessPolicy policy = AccessPolicy.parse(access, "access.yaml", catalog);

        assertThat(policy.publisherOf(catalog.feed("graffiti-reports"))).map(Agency::name).contains("council");
        assertThat(AclPlanner.plan(policy)).extracting(binding -> binding.entry().principal() + " "
                + binding.entry().operation() + " " + binding.pattern().name())
                .contains("User:csp-council WRITE csp.raw.graffiti-reports",
                        "User:csp-council WRITE csp.dlq.graffiti-reports",
                        "User:csp-topologies READ csp.raw.graffiti-reports",
                        "User:csp-topologies WRITE csp.metrics.graffiti",
                        "User:csp-topologies WRITE csp.published.graffiti");
        assertThatThrownBy(() -> AccessPolicy.parse(access, "access.yaml", FeedCatalog.shipped()))
                .isInstanceOf(InvalidAccessPolicyException.class)
                .hasMessage("access.yaml, line 4, column 13: Unknown feed 'graffiti-reports'; the hub's feeds are "
                        + String.join(", ", ShippedContracts.SLUGS));
    }

    @Test
    void shouldRefuseAMissingFolderAndAnUnknownFeed() {
        assertThatThrownBy(() -> FeedCatalog.withFolder(folder.resolve("absent")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feeds.dir");
        assertThatThrownBy(() -> FeedCatalog.shipped().feed("graffiti-reports"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown feed 'graffiti-reports'; valid feeds are "
                        + String.join(", ", ShippedContracts.SLUGS));
    }
}
