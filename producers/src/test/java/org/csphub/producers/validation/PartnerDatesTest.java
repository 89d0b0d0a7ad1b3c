package org.csphub.producers.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.csphub.producers.validation.PartnerDates.PartnerTime;
import org.junit.jupiter.api.Test;

class PartnerDatesTest {

    @Test
    void shouldReadIsoAndUkFormsAsLondonTime() {
        assertThat(PartnerDates.parse("2020-09-30")).contains(
                new PartnerTime(LocalDate.of(2020, 9, 30), Instant.parse("2020-09-29T23:00:00Z")));
        assertThat(PartnerDates.parse("2020-09-30T22:15")).contains(
                new PartnerTime(LocalDate.of(2020, 9, 30), Instant.parse("2020-09-30T21:15:00Z")));
        assertThat(PartnerDates.parse("30/09/2020 22:15:30")).contains(
                new PartnerTime(LocalDate.of(2020, 9, 30), Instant.parse("2020-09-30T21:15:30Z")));
        assertThat(PartnerDates.parse("01/12/2020")).contains(
                new PartnerTime(LocalDate.of(2020, 12, 1), Instant.parse("2020-12-01T00:00:00Z")));
        assertThat(PartnerDates.parse("2020-12-01T10:00:00Z")).contains(
                new PartnerTime(LocalDate.of(2020, 12, 1), Instant.parse("2020-12-01T10:00:00Z")));
    }

    @Test
    void shouldRefuseImpossibleAndAmericanDates() {
        assertThat(PartnerDates.parse("31/02/2020")).isEmpty();
        assertThat(PartnerDates.parse("2020-13-01")).isEmpty();
        assertThat(PartnerDates.parse("12/31/2020")).isEmpty();
        assertThat(PartnerDates.parse("yesterday")).isEmpty();
    }

    @Test
    void shouldPlaceEveryLocalTimeAsTheZoneRulesDoIncludingWhenTheClocksChange() {
        final List<LocalDateTime> wrong = new ArrayList<>();
        // every half hour of ten years, and every minute of the days the clocks change
        for (LocalDateTime local = LocalDateTime.of(2015, 1, 1, 0, 0); local.getYear() < 2025;
                local = local.plusMinutes(30)) {
            if (!PartnerDates.inLondon(local).equals(local.atZone(PartnerDates.LONDON).toInstant())) {
                wrong.add(local);
            }
        }
        for (final LocalDate day : List.of(LocalDate.of(2020, 3, 29), LocalDate.of(2020, 10, 25),
                LocalDate.of(2021, 3, 28), LocalDate.of(2021, 10, 31))) {
            for (LocalDateTime local = day.atStartOfDay(); local.toLocalDate().equals(day); local = local.plusMinutes(1)) {
                if (!PartnerDates.inLondon(local).equals(local.atZone(PartnerDates.LONDON).toInstant())) {
                    wrong.add(local);
                }
            }
        }
        assertThat(wrong).isEmpty();
        // a time in the spring gap moves forward, one in the autumn overlap takes summer time
        assertThat(PartnerDates.parse("2020-03-29T01:30")).map(PartnerTime::instant)
                .contains(Instant.parse("2020-03-29T01:30:00Z"));
        assertThat(PartnerDates.parse("2020-10-25T01:30")).map(PartnerTime::instant)
                .contains(Instant.parse("2020-10-25T00:30:00Z"));
    }
}
