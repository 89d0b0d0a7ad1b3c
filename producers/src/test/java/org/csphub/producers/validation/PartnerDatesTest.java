package org.csphub.producers.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
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
}
