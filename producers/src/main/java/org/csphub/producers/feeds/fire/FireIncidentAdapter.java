package org.csphub.producers.feeds.fire;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.csphub.feeds.fire.FireCause;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.fire.FireIncidentType;
import org.csphub.geography.Area;
import org.csphub.producers.feeds.FeedAdapter;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.PartnerDates.PartnerTime;
import org.csphub.producers.validation.RowFields;
import org.csphub.topics.Feed;

/** The fire and rescue service's incidents: one {@link FireIncident} per row, by ward or district. */
public final class FireIncidentAdapter implements FeedAdapter {

    public static final String INCIDENT_ID = "incident_id";
    public static final String OCCURRED_AT = "occurred_at";
    public static final String INCIDENT_TYPE = "incident_type";
    public static final String CAUSE = "cause";

    private static final ExportContract CONTRACT = new ExportContract(Feed.FIRE_INCIDENTS.slug(), INCIDENT_ID,
            List.of(INCIDENT_ID, OCCURRED_AT, INCIDENT_TYPE, CAUSE),
            List.of(List.of(AreaResolver.WARD, AreaResolver.DISTRICT)), List.of());

    private final AreaResolver areas;

    public FireIncidentAdapter(final AreaResolver areas) {
        this.areas = areas;
    }

    @Override
    public Feed feed() {
        return Feed.FIRE_INCIDENTS;
    }

    @Override
    public ExportContract contract() {
        return CONTRACT;
    }

    @Override
    public Optional<GenericRecord> toRecord(final String id, final RowFields row, final Instant receivedAt,
            final String source) {
        final Optional<PartnerTime> occurredAt = row.moment(OCCURRED_AT);
        final Optional<FireIncidentType> type = row.choice(INCIDENT_TYPE, FireIncidentType.class, true);
        final Optional<FireCause> cause = row.choice(CAUSE, FireCause.class, true);
        final Optional<Area> area = areas.wardOrDistrict(row, occurredAt.map(PartnerTime::localDate));
        if (!row.problems().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(FireIncident.newBuilder().setIncidentId(id).setOccurredAt(occurredAt.get().instant())
                .setIncidentType(type.get()).setCause(cause.get()).setArea(area.get()).setReceivedAt(receivedAt)
                .setSource(source).build());
    }
}
