package org.csphub.streams.idva;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.csphub.streams.series.SeriesSerdes;

/**
 * The current referrals of one pseudonymised client, by referral id with their dates: the state a
 * referral's repeat flag is computed from. A few entries per client, so the state stays small.
 */
public final class ClientReferrals {

    private final TreeMap<String, LocalDate> referrals;

    public ClientReferrals(final Map<String, LocalDate> referrals) {
        this.referrals = new TreeMap<>(referrals);
    }

    public static ClientReferrals empty() {
        return new ClientReferrals(Map.of());
    }

    public Map<String, LocalDate> referrals() {
        return referrals;
    }

    /** Adds a referral (changes and returns this). */
    public ClientReferrals with(final String referralId, final LocalDate date) {
        referrals.put(referralId, date);
        return this;
    }

    /** Removes a referral (changes and returns this). */
    public ClientReferrals without(final String referralId) {
        referrals.remove(referralId);
        return this;
    }

    /**
     * Whether the referral {@code referralId} of {@code date} is a repeat: the client had another
     * referral in the twelve months before it, that is on a date from {@code date} minus one year
     * up to {@code date}. Of two referrals on the same day the one with the smaller id comes first,
     * so that exactly one of them is the repeat.
     */
    public boolean isRepeat(final String referralId, final LocalDate date) {
        final LocalDate from = date.minusYears(1);
        return referrals.entrySet().stream().anyMatch(other -> !other.getKey().equals(referralId)
                && !other.getValue().isBefore(from)
                && (other.getValue().isBefore(date) || other.getValue().equals(date)
                        && other.getKey().compareTo(referralId) < 0));
    }

    public static Serde<ClientReferrals> serde() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : SeriesSerdes.write(out -> {
            out.writeInt(value.referrals.size());
            for (final Map.Entry<String, LocalDate> entry : value.referrals.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue().toEpochDay());
            }
        }), (topic, bytes) -> bytes == null ? null : SeriesSerdes.read(bytes, in -> {
            final int size = in.readInt();
            final Map<String, LocalDate> referrals = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                referrals.put(in.readUTF(), LocalDate.ofEpochDay(in.readLong()));
            }
            return new ClientReferrals(referrals);
        }));
    }
}
