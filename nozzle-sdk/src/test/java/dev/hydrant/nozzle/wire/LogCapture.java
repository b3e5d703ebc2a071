package dev.hydrant.nozzle.wire;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what one logger writes, to assert what a user would see on the screen. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level level;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(Class<?> loggerClass) {
        this(loggerClass.getName(), Level.DEBUG);
    }

    private LogCapture(String name, Level captureLevel) {
        logger = (Logger) LoggerFactory.getLogger(name);
        level = logger.getLevel();
        if (captureLevel != null) {
            logger.setLevel(captureLevel);
        }
        appender.start();
        logger.addAppender(appender);
    }

    /** What the loggers under {@code name} write at their levels as they are: a library's own lines, unchanged. */
    public static LogCapture asConfigured(String name) {
        return new LogCapture(name, null);
    }

    /** Lines at {@code level} containing {@code text}. */
    public List<String> lines(Level level, String text) {
        return List.copyOf(appender.list).stream()
                .filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(text))
                .toList();
    }

    /** Lines at INFO or above: what a nozzle with default logging prints. */
    public List<String> visible() {
        return List.copyOf(appender.list).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    /** Lines at any level that carry a stack trace. */
    public List<String> withStackTraces() {
        return List.copyOf(appender.list).stream()
                .filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
    }
}
