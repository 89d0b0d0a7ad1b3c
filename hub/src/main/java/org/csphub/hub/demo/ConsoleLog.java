package org.csphub.hub.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * What the demo's terminal shows of the log: the hub's own warnings and anyone's errors. Every line goes
 * to a file under the data folder, Kafka's own warnings among them (its notices on the configuration and
 * the state directory, the producer's retries while a transaction coordinator is busy), which say nothing
 * a new user can act on.
 */
public final class ConsoleLog {

    /** The log file's name in the data folder. */
    public static final String FILE_NAME = "hub.log";
    /** The console appender of {@code log4j2.properties}. */
    static final String CONSOLE = "out";
    private static final String HUB_LOGGERS = "org.csphub";

    private ConsoleLog() {
    }

    /**
     * Sends every log line to {@code <folder>/hub.log} as well, and keeps on the console only the errors,
     * and the hub's own warnings; returns the file.
     */
    public static Path toFile(final Path folder) throws IOException {
        final Path file = Files.createDirectories(folder).resolve(FILE_NAME);
        final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        final Configuration configuration = context.getConfiguration();
        final FileAppender appender = FileAppender.newBuilder().setName("file").withFileName(file.toString())
                .setLayout(PatternLayout.newBuilder().withConfiguration(configuration)
                        .withPattern("%d{ISO8601} %-5p %c - %m%n").build())
                .setConfiguration(configuration).build();
        appender.start();
        configuration.addAppender(appender);

        final LoggerConfig root = configuration.getRootLogger();
        final Appender console = root.getAppenders().get(CONSOLE);
        root.addAppender(appender, null, null);
        LoggerConfig hub = configuration.getLoggerConfig(HUB_LOGGERS);
        if (!HUB_LOGGERS.equals(hub.getName())) {
            // a configuration without the hub's own logger: one at INFO, as log4j2.properties has it
            hub = new LoggerConfig(HUB_LOGGERS, Level.INFO, false);
            configuration.addLogger(HUB_LOGGERS, hub);
        }
        hub.addAppender(appender, null, null);
        if (console != null) {
            root.removeAppender(CONSOLE);
            root.addAppender(console, Level.ERROR, null);
            hub.addAppender(console, Level.WARN, null);
        }
        // the hub's lines reach the file and the console through its own references, not the root's again
        hub.setAdditive(false);
        context.updateLoggers();
        return file;
    }
}
