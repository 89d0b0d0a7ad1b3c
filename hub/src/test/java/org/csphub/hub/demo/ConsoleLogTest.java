package org.csphub.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {

    @TempDir
    Path data;

    /** Stands for the terminal: the console appender of log4j2.properties, replaced by one the test reads. */
    private final StringWriter terminal = new StringWriter();
    private LoggerContext context;

    @BeforeEach
    void replaceTheConsole() {
        context = (LoggerContext) LogManager.getContext(false);
        final Configuration configuration = context.getConfiguration();
        final WriterAppender console = WriterAppender.newBuilder().setName(ConsoleLog.CONSOLE).setTarget(terminal)
                .setLayout(PatternLayout.newBuilder().withConfiguration(configuration).withPattern("%p %c %m%n")
                        .build())
                .setConfiguration(configuration).build();
        console.start();
        final LoggerConfig root = configuration.getRootLogger();
        root.removeAppender(ConsoleLog.CONSOLE);
        root.addAppender(console, null, null);
        context.updateLoggers();
    }

    @AfterEach
    void restoreTheConfiguration() {
        context.reconfigure();
    }

    @Test
    void shouldKeepKafkasWarningsOffTheTerminalAndEveryLineInTheFile() throws Exception {
        final Path file = ConsoleLog.toFile(data.resolve("csp-hub-data"));
        LogManager.getLogger("org.apache.kafka.streams.StreamsConfig").warn("a notice on the configuration");
        LogManager.getLogger("org.apache.kafka.clients.producer.internals.Sender").error("a producer failed");
        LogManager.getLogger("org.csphub.hub.demo.Demo").warn("a warning of the hub's");
        LogManager.getLogger("org.csphub.hub.demo.Demo").info("an account of the hub's");

        assertThat(file).isEqualTo(data.resolve("csp-hub-data").resolve("hub.log"));
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("WARN  org.apache.kafka.streams.StreamsConfig"
                + " - a notice on the configuration", "a producer failed", "a warning of the hub's",
                "an account of the hub's");
        assertThat(terminal.toString().lines()).containsExactly(
                "ERROR org.apache.kafka.clients.producer.internals.Sender a producer failed",
                "WARN org.csphub.hub.demo.Demo a warning of the hub's");
    }
}
