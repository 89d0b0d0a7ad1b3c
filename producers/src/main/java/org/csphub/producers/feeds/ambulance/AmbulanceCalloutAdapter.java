package org.csphub.producers.feeds.ambulance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.ambulance.Sex;
import org.csphub.geography.Area;
import org.csphub.producers.feeds.FeedAdapter;
import org.csphub.producers.privacy.AgeBands;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.PartnerDates.PartnerTime;
import org.csphub.producers.validation.RowFields;
import org.csphub.topics.Feed;

/** The ambulance trust's assault-related callouts: one {@link AmbulanceCallout} per row, the age banded. */
public final class AmbulanceCalloutAdapter implements FeedAdapter {

    public static final String CALLOUT_ID = "callout_id";
    public static final String CALLED_AT = "called_at";
    public static final String SEX = "sex";
    public static final String AGE = "age";
    /** No patient is older; a larger number is a keying error. */
    public static final int MAXIMUM_AGE = 120;

    private static final ExportContract CONTRACT = new ExportContract(Feed.AMBULANCE_CALLOUTS.slug(), CALLOUT_ID,
            List.of(CALLOUT_ID, CALLED_AT, SEX, AGE), List.of(List.of(AreaResolver.WARD, AreaResolver.LSOA)),
            List.of());

    private final AreaResolver areas;

    public AmbulanceCalloutAdapter(final AreaResolver areas) {
        this.areas = areas;
    }

    @Override
    public Feed feed() {
        return Feed.AMBULANCE_CALLOUTS;
    }

    @Override
    public ExportContract contract() {
        return CONTRACT;
    }

    @Override
    public Optional<GenericRecord> toRecord(final String id, final RowFields row, final Instant receivedAt,
            final String source) {
        final Optional<PartnerTime> calledAt = row.moment(CALLED_AT);
        final Optional<Area> area = areas.wardOrLsoa(row, calledAt.map(PartnerTime::localDate));
        final Optional<Sex> sex = row.choice(SEX, Sex.class, true);
        // a blank age is "not recorded" and published as a null band
        final Optional<Integer> age = row.whole(AGE, 0, MAXIMUM_AGE);
        if (!row.problems().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(AmbulanceCallout.newBuilder().setCalloutId(id).setCalledAt(calledAt.get().instant())
                .setArea(area.get()).setSex(sex.get()).setAgeBand(age.map(AgeBands::bandOf).orElse(null))
                .setReceivedAt(receivedAt).setSource(source).build());
    }
}
