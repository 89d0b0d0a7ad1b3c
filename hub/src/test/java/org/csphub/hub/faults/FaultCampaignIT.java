package org.csphub.hub.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.topics.Topics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short fault campaign on three brokers: six faults, every kind at least once, while a month of four
 * feeds' exports and their corrections are replayed; afterwards no value anywhere is wrong.
 */
@Tag("integration")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class FaultCampaignIT {

    @Test
    void shouldLoseNothingAndCountNothingTwiceThroughSixFaultsOfEveryKindOnThreeBrokers() throws Exception {
        final StringWriter log = new StringWriter();
        final PrintWriter out = new PrintWriter(log, true);
        final FaultCampaign.Result result = new FaultCampaign(new FaultCampaign.Options(6, 7, 3,
                YearMonth.of(2020, 4), YearMonth.of(2020, 4), 0.05, Duration.ofSeconds(1), Duration.ofMinutes(5),
                EmbeddedStackExtension.freshDataDir()), out::println).run();

        assertThat(result.injected()).as(log.toString()).hasSize(6);
        assertThat(result.injected()).extracting(FaultCampaign.Injected::fault)
                .containsAll(List.of(FaultCampaign.Fault.values()));
        assertThat(result.checks()).extracting(FaultCampaign.Check::what).hasSize(6);
        assertThat(result.checks()).as(result.report()).allSatisfy(check -> assertThat(check.wrong())
                .as(check.what() + ": " + check.examples()).isZero());
        assertThat(result.checks()).filteredOn(check -> !check.what().contains(Topics.DLQ_STREAMS))
                .allSatisfy(check -> assertThat(check.checked()).as(check.what()).isPositive());
        assertThat(result.rowsAccepted()).isPositive();
    }
}
