package org.csphub.producers.feeds.asb;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.csphub.feeds.asb.AsbCategory;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.geography.Area;
import org.csphub.producers.feeds.FeedAdapter;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.PartnerDates.PartnerTime;
import org.csphub.producers.validation.RowFields;
import org.csphub.topics.Feed;

/** The police force's anti-social behaviour extract: one {@link AsbIncident} per row. */
public final class AsbIncidentAdapter implements FeedAdapter {

    public static final String INCIDENT_ID = "incident_id";
    public static final String REPORTED_AT = "reported_at";
    public static final String CATEGORY = "category";

    private static final ExportContract CONTRACT = new ExportContract(Feed.POLICE_ASB.slug(), INCIDENT_ID,
            List.of(INCIDENT_ID, REPORTED_AT, CATEGORY), List.of(List.of(AreaResolver.WARD, AreaResolver.LSOA)),
            List.of());

    private final AreaResolver areas;

    public AsbIncidentAdapter(final AreaResolver areas) {
        this.areas = areas;
    }

    @Override
    public Feed feed() {
        return Feed.POLICE_ASB;
    }

    @Override
    public ExportContract contract() {
        return CONTRACT;
    }

    @Override
    public Optional<GenericRecord> toRecord(final String id, final RowFields row, final Instant receivedAt,
            final String source) {
        final Optional<PartnerTime> reportedAt = row.moment(REPORTED_AT);
        final Optional<AsbCategory> category = row.choice(CATEGORY, AsbCategory.class, true);
        final Optional<Area> area = areas.wardOrLsoa(row, reportedAt.map(PartnerTime::localDate));
        if (!row.problems().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(AsbIncident.newBuilder().setIncidentId(id).setReportedAt(reportedAt.get().instant())
                .setCategory(category.get()).setArea(area.get()).setReceivedAt(receivedAt).setSource(source).build());
    }
}
