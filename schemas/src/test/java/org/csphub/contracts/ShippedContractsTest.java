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
