package io.slipway.router;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The router's logging, set up in code rather than from a logback.xml: reading XML pulled in
 * about a thousand classes (Joran, its model processors, an XML parser), a third of a restarted
 * router's time before it could route (issue 13, RouterRestartTest). One line per event on
 * stdout; ./slipway sends it to $SLIPWAY_HOME/logs/router.log when detached. A logback-test.xml
 * or {@code -Dlogback.configurationFile} still wins, for tests and for operators.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(stdout);
        context.getLogger("org.xnio").setLevel(Level.WARN);
        context.getLogger("io.undertow").setLevel(Level.WARN);
        // A dyno that fails mid-request is the router's request line (at=error code=H13/H12), not a stack trace.
        context.getLogger("io.undertow.proxy").setLevel(Level.OFF);
        context.getLogger("io.undertow.request.io").setLevel(Level.ERROR);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
