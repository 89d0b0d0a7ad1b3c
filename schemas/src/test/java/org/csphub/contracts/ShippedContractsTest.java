package org.csphub.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.csphub.access.AccessPolicy;
import org.csphub.access.Agency;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ShippedContractsTest {

    static List<Feed> shippedFeeds() {
        return FeedCatalog.shipped().feeds();
    }

    @ParameterizedTest
    @MethodSource("shippedFeeds")
    void shouldNameTheTopicsEachFeedUsesToday(final Feed feed) {
        final FeedContract contract = ShippedContracts.of(feed.slug());

        assertThat(contract.slug()).isEqualTo(feed.slug());
        assertThat(contract.rawTopic()).isEqualTo(feed.rawTopic());
        assertThat(contract.deadLetterTopic()).isEqualTo(feed.deadLetterTopic());
    }

    @ParameterizedTest
    @MethodSource("shippedFeeds")
    void shouldBeOwnedByTheAgencyThatPublishesTheFeedInTheExampleAccessFile(final Feed feed) {
        final String publisher = AccessPolicy.parse(AccessPolicy.example(), "access.example.yaml").agencies().stream()
                .filter(agency -> agency.feeds().contains(feed)).map(Agency::name).findFirst().orElseThrow();

        assertThat(ShippedContracts.of(feed.slug()).owner()).isEqualTo(publisher);
    }

    @Test
    void shouldOwnTheFeedsTheHubDoesNotRunYetByTheAgenciesOfTheExampleAccessFile() {
        final String example = AccessPolicy.example();

        assertThat(ShippedContracts.of("police-crime").owner()).isEqualTo("police");
        assertThat(example).contains("feeds: [police-asb, police-crime]");
        assertThat(ShippedContracts.of("needle-finds").owner()).isEqualTo("council");
        assertThat(example).contains("principal: csp-council\n    feeds: [needle-finds]");
        assertThat(ShippedContracts.of("ed-assaults").owner()).isEqualTo("ed");
        assertThat(example).contains("principal: csp-ed\n    feeds: [ed-assaults]");
        assertThat(ShippedContracts.of("ed-assaults").rawTopic()).isEqualTo("csp.raw.ed-assaults");
    }

    @Test
    void shouldGroupEveryOffenceSubgroupUnderItsOnsOffenceGroup() {
        final ColumnType.Within tree = ((ColumnType.Enum) ShippedContracts.of("police-crime")
                .column("offence_subgroup").orElseThrow().type()).within().orElseThrow();

        // the ONS crime tree (police recorded crime, excluding fraud)
        assertThat(tree.column()).isEqualTo("offence_group");
        assertThat(tree.valuesOf("VIOLENCE_AGAINST_THE_PERSON")).containsExactly("HOMICIDE",
                "DEATH_OR_SERIOUS_INJURY_UNLAWFUL_DRIVING", "VIOLENCE_WITH_INJURY", "VIOLENCE_WITHOUT_INJURY",
                "STALKING_AND_HARASSMENT");
        assertThat(tree.valuesOf("THEFT_OFFENCES")).containsExactly("BURGLARY", "VEHICLE_OFFENCES",
                "THEFT_FROM_THE_PERSON", "BICYCLE_THEFT", "SHOPLIFTING", "ALL_OTHER_THEFT_OFFENCES");
        assertThat(tree.valuesOf("ROBBERY")).containsExactly("ROBBERY_OF_BUSINESS_PROPERTY",
                "ROBBERY_OF_PERSONAL_PROPERTY");
        assertThat(tree.groups()).hasSize(9);
    }

    @Test
    void shouldBandDashScoresAsTheDashChecklistDoes() {
        final ColumnType.Banding banding = ((ColumnType.Enum) ShippedContracts.of("idva-referrals")
                .column("risk_level").orElseThrow().type()).banding().orElseThrow();

        // DASH: 14 or more is high risk, 10 to 13 medium, below that standard
        assertThat(IntStream.rangeClosed(0, 27).mapToObj(banding::bandOf).toList()).containsExactly(
                "STANDARD", "STANDARD", "STANDARD", "STANDARD", "STANDARD", "STANDARD", "STANDARD", "STANDARD",
                "STANDARD", "STANDARD", "MEDIUM", "MEDIUM", "MEDIUM", "MEDIUM", "HIGH", "HIGH", "HIGH", "HIGH",
                "HIGH", "HIGH", "HIGH", "HIGH", "HIGH", "HIGH", "HIGH", "HIGH", "HIGH", "HIGH");
        assertThat(banding.from()).isEqualTo("dash_score");
    }
}
