package org.csphub.contracts;

import java.util.List;
import org.apache.avro.Schema;
import org.csphub.feeds.RejectedRecord;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.metrics.AreaMetric;
import org.csphub.metrics.AreaMetricKey;

/** One data contract: a record's current schema and the rule it evolves under. */
public record Contract(String name, Schema schema, CompatibilityRule rule) {

    /** Every contract of the hub. */
    public static List<Contract> all() {
        return List.of(
                new Contract("AsbIncident", AsbIncident.getClassSchema(), CompatibilityRule.BACKWARD),
                new Contract("AmbulanceCallout", AmbulanceCallout.getClassSchema(), CompatibilityRule.BACKWARD),
                new Contract("IdvaReferral", IdvaReferral.getClassSchema(), CompatibilityRule.BACKWARD),
                new Contract("FireIncident", FireIncident.getClassSchema(), CompatibilityRule.BACKWARD),
                new Contract("RejectedRecord", RejectedRecord.getClassSchema(), CompatibilityRule.BACKWARD),
                new Contract("AreaMetric", AreaMetric.getClassSchema(), CompatibilityRule.FULL),
                new Contract("AreaMetricKey", AreaMetricKey.getClassSchema(), CompatibilityRule.FULL));
    }
}
