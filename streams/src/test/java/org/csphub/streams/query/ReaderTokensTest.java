package org.csphub.streams.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.csphub.access.AccessPolicy;
import org.csphub.access.Agency;
import org.csphub.access.Audience;
import org.csphub.access.MetricReader;
import org.junit.jupiter.api.Test;

class ReaderTokensTest {

    /** The research group (a partner by default), a public portal and a partner without a token. */
    private static final AccessPolicy POLICY = AccessPolicy.parse(String.join("\n",
            "agencies:",
            "  - name: police",
            "    principal: csp-police",
            "    feeds: [police-asb]",
            "    token_sha256: " + Agency.tokenHash("police-secret"),
            "topologies:",
            "  principal: csp-topologies",
            "  application_id: csp-hub-metrics",
            "research:",
            "  principal: csp-research",
            "  group_prefix: csp-research",
            "  token_sha256: " + Agency.tokenHash("research-secret"),
            "readers:",
            "  - name: open-data",
            "    principal: csp-open-data",
            "    group_prefix: csp-open-data",
            "    audience: public",
            "    token_sha256: " + Agency.tokenHash("portal-secret"),
            "  - name: council-analysts",
            "    principal: csp-council-analysts",
            "    group_prefix: csp-council-analysts",
            "    audience: partner",
            ""), "access.yaml");

    private final ReaderTokens readers = ReaderTokens.of(POLICY);

    @Test
    void shouldAnswerARequestWithoutATokenWithThePublicView() {
        assertThat(readers.audienceOf(null)).isEqualTo(Audience.PUBLIC);
        assertThat(readers.audienceOf("  ")).isEqualTo(Audience.PUBLIC);
        assertThat(readers.readerOf(null)).isEmpty();
    }

    @Test
    void shouldGiveAReadersTokenThatReadersAudience() {
        assertThat(readers.audienceOf("Bearer research-secret")).isEqualTo(Audience.PARTNER);
        assertThat(readers.readerOf("bearer research-secret").map(MetricReader::principal)).contains("csp-research");
        assertThat(readers.audienceOf("Bearer portal-secret")).isEqualTo(Audience.PUBLIC);
        assertThat(readers.readerOf("Bearer portal-secret").map(MetricReader::name)).contains("open-data");
    }

    @Test
    void shouldRefuseATokenThatIsNoReaders() {
        for (final String header : new String[] {"Bearer wrong", "Bearer research-secret2", "Bearer ",
                // an agency's intake token is not a reader's
                "Bearer police-secret",
                // the hash in place of the token
                "Bearer " + Agency.tokenHash("research-secret"),
                "Basic cmVzZWFyY2g6c2VjcmV0"}) {
            assertThatThrownBy(() -> readers.audienceOf(header)).as(header)
                    .isInstanceOf(ReaderTokens.UnknownCaller.class);
        }
    }

    @Test
    void shouldKnowNoTokenWithoutAnAccessFile() {
        assertThat(ReaderTokens.none().audienceOf(null)).isEqualTo(Audience.PUBLIC);
        assertThatThrownBy(() -> ReaderTokens.none().audienceOf("Bearer research-secret"))
                .isInstanceOf(ReaderTokens.UnknownCaller.class).hasMessageContaining("not known");
    }

    @Test
    void shouldReadAPartnersViewFromTheMetricStoreAndThePublicsFromThePublishedStore() {
        assertThat(MetricsQueryService.storeFor("idva", Audience.PARTNER)).isEqualTo("idva-publication-input");
        assertThat(MetricsQueryService.storeFor("idva", Audience.PUBLIC)).isEqualTo("idva-published");
    }
}
