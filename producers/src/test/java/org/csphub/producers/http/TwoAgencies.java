package org.csphub.producers.http;

import org.csphub.access.AccessPolicy;
import org.csphub.access.Agency;

/** The access file of the intake tests: a constabulary publishing police-asb, a fire service fire-incidents. */
final class TwoAgencies {

    private TwoAgencies() {
    }

    /** The access file's text, with the hashes of the two agencies' tokens. */
    static String yaml(final String policeToken, final String fireToken) {
        return """
                agencies:
                  - name: Constabulary
                    principal: csp-police
                    feeds: [police-asb]
                    token_sha256: %s
                  - name: Fire Service
                    principal: csp-fire
                    feeds: [fire-incidents]
                    token_sha256: %s
                topologies:
                  principal: csp-topologies
                  application_id: csp-hub-metrics
                """.formatted(Agency.tokenHash(policeToken), Agency.tokenHash(fireToken));
    }

    static AccessPolicy policy(final String policeToken, final String fireToken) {
        return AccessPolicy.parse(yaml(policeToken, fireToken), "access.yaml");
    }
}
