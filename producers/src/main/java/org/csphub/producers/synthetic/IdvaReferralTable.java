package org.csphub.producers.synthetic;

import java.util.List;

/**
 * The IDVA service's published 2019/20 referrals by quarter: the district service by district, then the
 * specialist strands across Cambridgeshire. The generator reproduces these counts exactly for 2019/20.
 */
public final class IdvaReferralTable {

    /** The financial year the table is for. */
    public static final int FINANCIAL_YEAR_START = 2019;

    /** One row of the table: a district (strand DISTRICT) or a strand (any Cambridgeshire district). */
    public record Line(String label, String districtCode, String strand, int[] quarters) {
    }

    public static final List<Line> LINES = List.of(
            new Line("City", "E07000008", "DISTRICT", new int[] {67, 61, 50, 43}),
            new Line("East", "E07000009", "DISTRICT", new int[] {22, 27, 15, 18}),
            new Line("Fenland", "E07000010", "DISTRICT", new int[] {49, 59, 39, 30}),
            new Line("Hunts", "E07000011", "DISTRICT", new int[] {82, 81, 41, 66}),
            new Line("South", "E07000012", "DISTRICT", new int[] {38, 48, 39, 30}),
            new Line("Health all", null, "HEALTH", new int[] {27, 25, 28, 36}),
            new Line("CYP all", null, "YOUNG_PEOPLE", new int[] {34, 31, 33, 57}),
            new Line("A8 all", null, "A8", new int[] {52, 48, 63, 67}),
            new Line("Stalking", null, "DA_STALKING", new int[] {63, 42, 31, 25}),
            new Line("Peterborough", "E06000031", "DISTRICT", new int[] {112, 96, 98, 106}));

    /** The five Cambridgeshire districts, where the specialist strands take referrals. */
    public static final List<String> CAMBRIDGESHIRE = List.of("E07000008", "E07000009", "E07000010", "E07000011",
            "E07000012");

    private IdvaReferralTable() {
    }
}
