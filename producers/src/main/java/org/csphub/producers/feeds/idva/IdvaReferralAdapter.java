package org.csphub.producers.feeds.idva;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.feeds.idva.IdvaStrand;
import org.csphub.feeds.idva.RiskLevel;
import org.csphub.geography.Area;
import org.csphub.producers.feeds.FeedAdapter;
import org.csphub.producers.privacy.ClientHasher;
import org.csphub.producers.validation.AreaResolver;
import org.csphub.producers.validation.ExportContract;
import org.csphub.producers.validation.RejectionCode;
import org.csphub.producers.validation.RowFields;
import org.csphub.topics.Feed;

/**
 * The IDVA service's referrals: one {@link IdvaReferral} per row, district-level, with the client
 * reference replaced by its keyed hash and the risk level taken as given or derived from the DASH score.
 */
public final class IdvaReferralAdapter implements FeedAdapter {

    public static final String REFERRAL_ID = "referral_id";
    public static final String REFERRED_ON = "referred_on";
    public static final String STRAND = "strand";
    public static final String DASH_SCORE = "dash_score";
    public static final String RISK_LEVEL = "risk_level";
    public static final String ENGAGED = "engaged";
    public static final String CLIENT_REF = "client_ref";
    public static final String MALE = "male";
    public static final String DISABILITY = "disability";
    public static final String LGBT = "lgbt";
    /** The DASH checklist's highest possible score. */
    public static final int MAXIMUM_DASH_SCORE = 27;

    private static final ExportContract CONTRACT = new ExportContract(Feed.IDVA_REFERRALS.slug(), REFERRAL_ID,
            List.of(REFERRAL_ID, REFERRED_ON, AreaResolver.DISTRICT, STRAND, ENGAGED, CLIENT_REF, MALE, DISABILITY,
                    LGBT),
            List.of(List.of(DASH_SCORE, RISK_LEVEL)), List.of());

    private final AreaResolver areas;
    private final ClientHasher hasher;

    public IdvaReferralAdapter(final AreaResolver areas, final ClientHasher hasher) {
        this.areas = areas;
        this.hasher = hasher;
    }

    @Override
    public Feed feed() {
        return Feed.IDVA_REFERRALS;
    }

    @Override
    public ExportContract contract() {
        return CONTRACT;
    }

    /** DASH: 14 or more is high risk, 10 to 13 medium, below that standard. */
    public static RiskLevel riskOf(final int dashScore) {
        if (dashScore >= 14) {
            return RiskLevel.HIGH;
        }
        return dashScore >= 10 ? RiskLevel.MEDIUM : RiskLevel.STANDARD;
    }

    @Override
    public Optional<GenericRecord> toRecord(final String id, final RowFields row, final Instant receivedAt,
            final String source) {
        final Optional<LocalDate> referredOn = row.date(REFERRED_ON);
        final Optional<Area> area = areas.district(row);
        final Optional<IdvaStrand> strand = row.choice(STRAND, IdvaStrand.class, true);
        final Optional<Integer> score = row.whole(DASH_SCORE, 0, MAXIMUM_DASH_SCORE);
        final Optional<RiskLevel> given = row.choice(RISK_LEVEL, RiskLevel.class, false);
        if (row.value(DASH_SCORE).isEmpty() && row.value(RISK_LEVEL).isEmpty()) {
            row.reject(row.hasColumn(DASH_SCORE) ? DASH_SCORE : RISK_LEVEL, RejectionCode.MISSING_VALUE,
                    "give a DASH score (0-" + MAXIMUM_DASH_SCORE + ") or a risk level (STANDARD, MEDIUM, HIGH)");
        }
        final Optional<Boolean> engaged = row.yesNo(ENGAGED);
        final Optional<String> client = row.required(CLIENT_REF);
        final Optional<Boolean> male = row.yesNo(MALE);
        final Optional<Boolean> disability = row.yesNo(DISABILITY);
        final Optional<Boolean> lgbt = row.yesNo(LGBT);
        if (!row.problems().isEmpty()) {
            return Optional.empty();
        }
        // a given level is professional judgement and overrides the score
        final RiskLevel risk = given.orElseGet(() -> riskOf(score.orElseThrow()));
        return Optional.of(IdvaReferral.newBuilder().setReferralId(id).setReferredOn(referredOn.get())
                .setArea(area.get()).setStrand(strand.get()).setDashScore(score.orElse(null)).setRiskLevel(risk)
                .setEngaged(engaged.get()).setClientHash(hasher.hash(client.get())).setMale(male.get())
                .setDisability(disability.get()).setLgbt(lgbt.get()).setReceivedAt(receivedAt).setSource(source)
                .build());
    }
}
