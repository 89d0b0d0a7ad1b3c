package org.csphub.streams;

import java.time.Instant;
import java.time.LocalDate;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.ambulance.Sex;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireCause;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.fire.FireIncidentType;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.IdvaStrand;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.geography.Area;

/** Raw records for tests, in the reference geography's areas. */
public final class Records {

    public static final Instant RECEIVED = Instant.parse("2021-06-01T09:00:00Z");

    public static final String CAMBRIDGE = "E07000008";
    public static final String HUNTS = "E07000011";
    public static final String ABBEY = "E05013050";
    public static final String ARBURY = "E05013051";
    public static final String ST_IVES = "E05011345";

    private Records() {
    }

    public static Area ward(final String code) {
        return switch (code) {
            case ABBEY -> new Area(ABBEY, "Abbey", CAMBRIDGE, "Cambridge", null);
            case ARBURY -> new Area(ARBURY, "Arbury", CAMBRIDGE, "Cambridge", null);
            case ST_IVES -> new Area(ST_IVES, "St Ives East", HUNTS, "Huntingdonshire", null);
            default -> throw new IllegalArgumentException(code);
        };
    }

    public static Area district(final String code, final String name) {
        return new Area(null, null, code, name, null);
    }

    public static AsbIncident asb(final String id, final String at, final AsbCategory category, final String ward) {
        return new AsbIncident(id, Instant.parse(at), category, ward(ward), RECEIVED, null);
    }

    public static AmbulanceCallout callout(final String id, final String at, final String ward, final Sex sex,
            final String ageBand) {
        return new AmbulanceCallout(id, Instant.parse(at), ward(ward), sex, ageBand, RECEIVED, null);
    }

    public static FireIncident fire(final String id, final String at, final FireIncidentType type,
            final FireCause cause, final Area area) {
        return new FireIncident(id, Instant.parse(at), type, cause, area, RECEIVED, null);
    }

    public static IdvaReferral referral(final String id, final String on, final Area district, final IdvaStrand strand,
            final RiskLevel risk, final boolean engaged, final String client) {
        return new IdvaReferral(id, LocalDate.parse(on), district, strand, null, risk, engaged, client, false, false,
                false, RECEIVED, null);
    }
}
