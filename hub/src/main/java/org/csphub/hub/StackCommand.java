package org.csphub.hub;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.csphub.config.HubConfig;
import org.csphub.embedded.EmbeddedStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hub stack}: the embedded broker and registry, until Ctrl-C. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Starts a real single-node Kafka broker (KRaft) and a real schema registry (Apicurio "
                + "Registry, Confluent-compatible API) on loopback, prints their addresses, and runs until Ctrl-C.")
final class StackCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "The broker's client port (default 9092; 0 for any free port).")
    Integer kafkaPort;

    @Option(names = "--registry-port", paramLabel = "PORT", description = "The registry's port (default 8081; 0 for any free port).")
    Integer registryPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final int kafka = kafkaPort != null ? kafkaPort : config.getInt(HubConfig.KAFKA_PORT);
        final int registry = registryPort != null ? registryPort : config.getInt(HubConfig.REGISTRY_PORT);
        final var out = spec.commandLine().getOut();
        out.printf("Starting the embedded stack in %s ...%n", config.dataDir());
        out.flush();
        try (EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Options(config.dataDir(), kafka, registry,
                Map.of(), Duration.ofSeconds(90)))) {
            out.printf("Kafka bootstrap servers: %s%n", stack.bootstrapServers());
            out.printf("Schema registry:         %s%n", stack.schemaRegistryUrl());
            out.printf("Data:                    %s%n", config.dataDir());
            out.printf("Ready in %.1f s. Press Ctrl-C to stop.%n", stack.startMillis() / 1000.0);
            out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
