package org.csphub.geography;

/** A local authority district, by its ONS code (E07..., or E06... for a unitary authority) and name. */
public record District(String code, String name) {
}
