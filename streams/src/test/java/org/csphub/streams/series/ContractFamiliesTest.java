package org.csphub.streams.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.csphub.contracts.ShippedContracts;
import org.csphub.streams.ambulance.AmbulanceMetricsTopology;
import org.csphub.streams.asb.AsbMetricsTopology;
import org.csphub.streams.fire.FireMetricsTopology;
import org.csphub.streams.idva.IdvaMetricsTopology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractFamiliesTest {

    private static final String CSP_CODE = "E99999999";
    private static final String CSP_NAME = "Cambridgeshire and Peterborough";

    static Stream<Arguments> shippedFeeds() {
        return Stream.of(
                Arguments.of("police-asb", AsbMetricsTopology.family(CSP_CODE, CSP_NAME)),
                Arguments.of("ambulance-callouts", AmbulanceMetricsTopology.family(CSP_CODE, CSP_NAME)),
                Arguments.of("idva-referrals", IdvaMetricsTopology.family(CSP_CODE, CSP_NAME)),
                Arguments.of("fire-incidents", FireMetricsTopology.family(CSP_CODE, CSP_NAME)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedFeeds")
    void shouldBuildTheFamilyEachTopologyBuildsToday(final String slug, final MetricFamily today) {
        assertThat(ContractFamilies.of(ShippedContracts.of(slug), CSP_CODE, CSP_NAME)).isEqualTo(today);
    }
}
