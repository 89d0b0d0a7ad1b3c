package org.csphub.hub;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.csphub.access.AccessPolicy;
import org.csphub.access.AclApplier;
import org.csphub.access.AclPlan;
import org.csphub.access.AclPlanner;
import org.csphub.config.HubConfig;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub acl}: the Kafka ACLs an access file asks for, compared with or applied to a cluster. */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = "Computes the Kafka ACLs of an access file (agencies, topologies, sinks, the research group "
                + "and other readers by audience, operators) and compares them with a cluster (plan) or creates the missing ones (apply). "
                + "Connect as a super user; client security settings come from the kafka.* configuration keys.",
        subcommands = {AclCommand.Plan.class, AclCommand.Apply.class})
final class AclCommand implements Runnable {

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options of {@code hub acl plan|apply}; connection options may be given before or after the verb. */
    abstract static class Verb implements Callable<Integer> {

        @ParentCommand
        AclCommand parent;

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--access", paramLabel = "FILE",
                description = "The access file (YAML): agencies, feeds, principals and who may read what "
                        + "(default: the access.file setting, <data dir>/access.yaml unless set).")
        Path accessFile;

        @Spec
        CommandSpec spec;

        HubConfig config() {
            final ConnectionOptions merged = new ConnectionOptions();
            merged.configFile = connection.configFile != null ? connection.configFile : parent.connection.configFile;
            merged.bootstrapServers = connection.bootstrapServers != null ? connection.bootstrapServers
                    : parent.connection.bootstrapServers;
            merged.schemaRegistry = connection.schemaRegistry != null ? connection.schemaRegistry
                    : parent.connection.schemaRegistry;
            merged.dataDir = connection.dataDir != null ? connection.dataDir : parent.connection.dataDir;
            merged.feedsDir = connection.feedsDir != null ? connection.feedsDir : parent.connection.feedsDir;
            return merged.config();
        }

        @Override
        public Integer call() throws Exception {
            final HubConfig config = config();
            final AccessPolicy policy = AccessPolicy.load(accessFile != null ? accessFile : config.accessFile(),
                    FeedCatalog.of(config));
            final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            try (Admin admin = Admin.create(properties)) {
                return run(new AclApplier(admin), policy, spec.commandLine().getOut());
            }
        }

        abstract int run(AclApplier applier, AccessPolicy policy, PrintWriter out) throws Exception;

        static void printUnexpected(final AclPlan plan, final PrintWriter out) {
            if (plan.unexpected().isEmpty()) {
                return;
            }
            out.printf("%d ACLs on the hub's resources or principals are not in the access file "
                    + "(left in place; remove them with kafka-acls if they should not be there):%n",
                    plan.unexpected().size());
            plan.unexpected().forEach(binding -> out.println("  ? " + AclPlanner.describe(binding)));
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Prints the ACLs the access file asks for that the cluster lacks, and the ACLs on the "
                    + "hub's resources that the file does not ask for. Changes nothing.")
    static final class Plan extends Verb {

        @Override
        int run(final AclApplier applier, final AccessPolicy policy, final PrintWriter out) throws Exception {
            final AclPlan plan = applier.plan(policy);
            out.printf("The access file asks for %d ACLs; %d are in place, %d would be added%s%n",
                    plan.wanted().size(), plan.wanted().size() - plan.missing().size(), plan.missing().size(),
                    plan.missing().isEmpty() ? "." : ":");
            for (final AclBinding binding : plan.missing()) {
                out.println("  + " + AclPlanner.describe(binding));
            }
            printUnexpected(plan, out);
            out.flush();
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Creates the ACLs the access file asks for that the cluster lacks; running it again "
                    + "changes nothing. Never removes an ACL.")
    static final class Apply extends Verb {

        @Override
        int run(final AclApplier applier, final AccessPolicy policy, final PrintWriter out) throws Exception {
            final AclPlan plan = applier.apply(policy);
            for (final AclBinding binding : plan.missing()) {
                out.println("  + " + AclPlanner.describe(binding));
            }
            out.printf("Added %d ACLs; %d were already in place.%n", plan.missing().size(),
                    plan.wanted().size() - plan.missing().size());
            printUnexpected(plan, out);
            out.flush();
            return 0;
        }
    }
}
