package org.csphub.hub;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.csphub.config.HubConfig;
import org.csphub.embedded.ScramSecurity;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.MissingTopicsException;
import org.csphub.topics.Replication;
import org.csphub.topics.TopicProvisioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub topics create}: the administrator's command that creates the hub's topics. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "The hub's topics, as the administrator sets them up.",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates every topic of the hub's feeds (the shipped ones and feeds.dir's) that is missing, "
                    + "with topics.partitions partitions and topics.replication.factor replicas (by default min(3, "
                    + "brokers), two of them in sync from three), and leaves existing ones as "
                    + "they are, so it can run again after a feed is added. On a cluster that authorizes by ACLs it "
                    + "needs the administrator's credentials (--config FILE); the other roles' commands only check "
                    + "that their topics exist.")
    static final class Create implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final HubConfig config = connection.config();
            final FeedCatalog catalog = FeedCatalog.of(config);
            final TopicProvisioner.Layout layout = TopicSetup.layout(config);
            final List<String> all = TopicProvisioner.allTopics(catalog);
            final List<String> created;
            final Replication replication;
            try (Admin admin = Admin.create(TopicSetup.adminProperties(config))) {
                replication = Replication.resolve(layout.replicationFactor(), admin);
                created = new TopicProvisioner(admin, layout, catalog).ensure(all);
            } catch (MissingTopicsException e) {
                throw new MissingTopicsException(e.topics(), e.getMessage() + "; creating the hub's topics needs the "
                        + "administrator's credentials (on `hub stack --secure`, --config <data dir>/credentials/"
                        + ScramSecurity.ADMIN + ".properties)", e);
            }
            final PrintWriter out = spec.commandLine().getOut();
            out.printf("Created %d of the hub's %d topics (partitions %d, replication factor %d, min.insync.replicas "
                    + "%d); %d were already there.%n", created.size(), all.size(), layout.partitions(),
                    replication.factor(), replication.minInSyncReplicas(), all.size() - created.size());
            created.forEach(topic -> out.printf("  + %s%n", topic));
            out.flush();
            return 0;
        }
    }
}
