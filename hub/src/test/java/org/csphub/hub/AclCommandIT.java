package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.csphub.access.AccessPolicy;
import org.csphub.access.AclPlanner;
import org.csphub.embedded.EmbeddedKafka;
import org.csphub.embedded.EmbeddedStackExtension;
import org.csphub.embedded.ScramSecurity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code hub acl plan} and {@code hub acl apply} against a broker with SASL/SCRAM and the authorizer on,
 * connecting as the administrator through the credentials file the secure broker writes (the
 * {@code kafka.*} keys every hub command reads).
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AclCommandIT {

    private static EmbeddedKafka kafka;
    private static ScramSecurity security;
    private static Path accessFile;
    private static int wanted;

    @BeforeAll
    static void startSecureBroker() throws Exception {
        final Path dataDir = EmbeddedStackExtension.freshDataDir();
        accessFile = dataDir.resolve("access.yaml");
        Files.writeString(accessFile, AccessPolicy.example());
        final AccessPolicy policy = AccessPolicy.load(accessFile);
        wanted = AclPlanner.plan(policy).size();
        security = ScramSecurity.prepare(dataDir, policy.principals());
        kafka = EmbeddedKafka.startSecure(dataDir, 0, security, Map.of(), Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void shouldPlanEveryAclOnAClusterThatHasNone() {
        final String out = hub("acl", "plan", "--config", admin(), "--access", accessFile.toString());

        assertThat(out).contains("The access file asks for " + wanted + " ACLs; 0 are in place, " + wanted
                + " would be added:")
                .contains("  + ALLOW User:csp-police WRITE on TOPIC csp.raw.police-asb (LITERAL)")
                // the research group is a partner: the full figures and the published ones
                .contains("  + ALLOW User:csp-research READ on TOPIC csp.metrics.idva (LITERAL)")
                .contains("  + ALLOW User:csp-research READ on TOPIC csp.published.idva (LITERAL)")
                // the open-data reader is public: the published figures only
                .contains("  + ALLOW User:csp-open-data READ on TOPIC csp.published.idva (LITERAL)")
                .contains("  + ALLOW User:csp-open-data READ on GROUP csp-open-data (PREFIXED)")
                .doesNotContain("User:csp-open-data READ on TOPIC csp.metrics.")
                .doesNotContain("not in the access file");
    }

    @Test
    @Order(2)
    void shouldChangeNothingTheSecondTimeItIsApplied() {
        final String first = hub("acl", "apply", "--config", admin(), "--access", accessFile.toString());
        final String second = hub("acl", "apply", "--config", admin(), "--access", accessFile.toString());

        assertThat(first).contains("Added " + wanted + " ACLs; 0 were already in place.");
        assertThat(second).isEqualTo("Added 0 ACLs; " + wanted + " were already in place." + System.lineSeparator());
    }

    @Test
    @Order(3)
    void shouldNameAHandMadeAclInThePlan() throws Exception {
        final AclBinding handMade = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "csp.raw.fire-incidents", PatternType.LITERAL),
                new AccessControlEntry("User:csp-police", "*", AclOperation.READ, AclPermissionType.ALLOW));
        final Map<String, Object> config = new LinkedHashMap<>(security.clientConfig(ScramSecurity.ADMIN));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createAcls(List.of(handMade)).all().get(30, TimeUnit.SECONDS);
        }

        final String out = hub("acl", "plan", "--config", admin(), "--access", accessFile.toString());

        assertThat(out).contains("0 would be added.")
                .contains("1 ACLs on the hub's resources or principals are not in the access file")
                .contains("  ? ALLOW User:csp-police READ on TOPIC csp.raw.fire-incidents (LITERAL)");
    }

    @Test
    @Order(4)
    void shouldReadTheDataFoldersAccessFileWhenNoneIsNamed() {
        final String out = hub("acl", "plan", "--config", admin(), "--data-dir", accessFile.getParent().toString());

        assertThat(out).startsWith("The access file asks for " + wanted + " ACLs; " + wanted
                + " are in place, 0 would be added." + System.lineSeparator());
    }

    private static String admin() {
        return security.credentialsFile(ScramSecurity.ADMIN).toString();
    }

    private static String hub(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        assertThat(code).as("exit code; errors: %s", err).isZero();
        return out.toString();
    }
}
