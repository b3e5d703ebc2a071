package dev.hydrant.it.nozzle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hydrant.nozzle.client.HydrantClient;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * What the SDK says about its connections (the logger of {@link HydrantClient}), kept in memory at DEBUG so
 * that the attempts between "Lost connection to" and "Reconnected to" can be counted too.
 *
 * <p>A Spring Boot app that starts after another one in this JVM has closed stops and resets Logback, which
 * drops every appender and listener: apps started while the capture runs are started through
 * {@link #start(Supplier)}, which leaves Logback as it is.
 */
final class ConnectionLogCapture implements AutoCloseable {

    /** Spring Boot's switch for its logging system; "none" leaves Logback's configuration alone. */
    private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger logger = context.getLogger(HydrantClient.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    ConnectionLogCapture() {
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    /** Starts an app (a Spring Boot context) without letting it reconfigure logging. */
    static synchronized <T> T start(Supplier<T> app) {
        String before = System.getProperty(LOGGING_SYSTEM);
        System.setProperty(LOGGING_SYSTEM, "none");
        try {
            return app.get();
        } finally {
            if (before == null) {
                System.clearProperty(LOGGING_SYSTEM);
            } else {
                System.setProperty(LOGGING_SYSTEM, before);
            }
        }
    }

    /** The lines logged at {@code level} whose text contains both {@code text} and {@code stream}. */
    List<String> lines(Level level, String text, String stream) {
        synchronized (appender) {
            return appender.list.stream()
                    .filter(event -> event.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.contains(text) && message.contains(stream))
                    .toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(null);
        appender.stop();
    }
}
