package org.csphub.geography;

import java.time.LocalDate;

/**
 * An electoral ward of one boundary set, in force from {@code validFrom} to {@code validTo}
 * (inclusive; {@link LocalDate#MIN} and {@link LocalDate#MAX} for open ends).
 */
public record Ward(String code, String name, District district, LocalDate validFrom, LocalDate validTo) {

    public boolean inForceOn(final LocalDate date) {
        return !date.isBefore(validFrom) && !date.isAfter(validTo);
    }
}
