package org.csphub.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecureKafkaIT {

    @Test
    void shouldKeepCredentialsAcrossARestartAndAddAPrincipalCreatedLater() throws Exception {
        final Path dataDir = EmbeddedStackExtension.freshDataDir();
        try (EmbeddedKafka first = EmbeddedKafka.startSecure(dataDir, 0,
                ScramSecurity.prepare(dataDir, List.of("csp-police")), Map.of(), Duration.ofSeconds(90))) {
            first.stop();
            final ScramSecurity more = ScramSecurity.prepare(dataDir, List.of("csp-police", "csp-fire"));
            try (EmbeddedKafka second = EmbeddedKafka.startSecure(dataDir, first.port(), more, Map.of(),
                    Duration.ofSeconds(90))) {
                try (Admin admin = admin(second, more, ScramSecurity.ADMIN)) {
                    admin.createTopics(List.of(new NewTopic("secure-restart", 1, (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                }
                // authenticated, then refused by the authorizer: no ACL names the later principal yet
                try (Admin admin = admin(second, more, "csp-fire")) {
                    assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
                    assertThatThrownBy(() -> admin.describeTopics(List.of("secure-restart")).allTopicNames()
                            .get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(TopicAuthorizationException.class);
                }
            }
        }
    }

    private static Admin admin(final EmbeddedKafka kafka, final ScramSecurity security, final String principal) {
        final Map<String, Object> config = new LinkedHashMap<>(security.clientConfig(principal));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }
}
