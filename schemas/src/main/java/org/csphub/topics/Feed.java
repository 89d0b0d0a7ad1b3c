package org.csphub.topics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.idva.IdvaReferral;

/** The partner feeds: each with its raw topic, its dead-letter topic and the record it carries. */
public enum Feed {
    POLICE_ASB("police-asb", Topics.RAW_POLICE_ASB, Topics.DLQ_POLICE_ASB, AsbIncident.getClassSchema()),
    AMBULANCE_CALLOUTS("ambulance-callouts", Topics.RAW_AMBULANCE_CALLOUTS, Topics.DLQ_AMBULANCE_CALLOUTS,
            AmbulanceCallout.getClassSchema()),
    IDVA_REFERRALS("idva-referrals", Topics.RAW_IDVA_REFERRALS, Topics.DLQ_IDVA_REFERRALS,
            IdvaReferral.getClassSchema()),
    FIRE_INCIDENTS("fire-incidents", Topics.RAW_FIRE_INCIDENTS, Topics.DLQ_FIRE_INCIDENTS,
            FireIncident.getClassSchema());

    private final String slug;
    private final String rawTopic;
    private final String deadLetterTopic;
    private final Schema schema;

    Feed(final String slug, final String rawTopic, final String deadLetterTopic, final Schema schema) {
        this.slug = slug;
        this.rawTopic = rawTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.schema = schema;
    }

    /** The feed's name in topics, URLs and folders, e.g. {@code police-asb}. */
    public String slug() {
        return slug;
    }

    public String rawTopic() {
        return rawTopic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    public Schema schema() {
        return schema;
    }

    /** The feed named by its slug or its constant name, in any case. */
    public static Feed fromName(final String name) {
        final String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(feed -> feed.slug.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown feed '" + name + "'; valid feeds are "
                        + Arrays.stream(values()).map(Feed::slug).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return slug;
    }
}
