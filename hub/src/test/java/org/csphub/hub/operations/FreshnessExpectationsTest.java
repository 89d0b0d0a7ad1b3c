package org.csphub.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.csphub.config.HubConfig;
import org.csphub.contracts.ShippedContracts;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;

class FreshnessExpectationsTest {

    private static FreshnessExpectations from(final Map<String, String> settings) {
        return FreshnessExpectations.from(HubConfig.load(Optional.empty(), Map.of(), settings));
    }

    @Test
    void shouldExpectWhatEachFeedsContractSaysUnlessTheConfigurationSetsAnother() {
        final FreshnessExpectations expectations = from(Map.of(HubConfig.FRESHNESS_POLICE_ASB, "PT6H"));

        assertThat(expectations.of(FeedCatalog.shipped().feed("police-asb"))).isEqualTo(Duration.ofHours(6));
        for (final Feed feed : new Feed[] {FeedCatalog.shipped().feed("ambulance-callouts"), FeedCatalog.shipped().feed("idva-referrals"), FeedCatalog.shipped().feed("fire-incidents")}) {
            assertThat(expectations.of(feed)).as(feed.slug())
                    .isEqualTo(ShippedContracts.of(feed.slug()).freshness());
        }
        // the contracts' own figures: a daily police extract, a weekly fire return
        assertThat(from(Map.of()).of(FeedCatalog.shipped().feed("police-asb"))).isEqualTo(Duration.ofDays(1));
        assertThat(from(Map.of()).of(FeedCatalog.shipped().feed("fire-incidents"))).isEqualTo(Duration.ofDays(8));
    }

    @Test
    void shouldRefuseAnExpectationThatIsNotAPositiveDurationNamingItsSource() {
        assertThatThrownBy(() -> from(Map.of(HubConfig.FRESHNESS_FIRE_INCIDENTS, "weekly")))
                .hasMessageContaining("freshness.fire-incidents=weekly (from command line)")
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> from(Map.of(HubConfig.FRESHNESS_FIRE_INCIDENTS, "PT0S")))
                .hasMessageContaining("must be positive");
    }
}
