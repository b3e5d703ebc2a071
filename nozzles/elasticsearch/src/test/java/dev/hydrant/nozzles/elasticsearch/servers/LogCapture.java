package dev.hydrant.nozzles.elasticsearch.servers;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what the nozzle's loggers (the {@code dev.hydrant.nozzles.elasticsearch} tree) write at INFO and above. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.hydrant.nozzles.elasticsearch");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    /** Lines at this level ("ERROR", "WARN", "INFO") containing {@code text}. */
    public List<String> lines(String level, String text) {
        return List.copyOf(appender.list).stream()
                .filter(e -> e.getLevel().toString().equals(level))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(text))
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
