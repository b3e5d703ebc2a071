package dev.hydrant.trafficcontroller.listener;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What the web server's loggers (Reactor Netty, Netty, Spring's web layer, ours) write at WARN and above while open. */
final class ListenerLog implements AutoCloseable {

    private static final List<String> NAMES = List.of("reactor.netty", "io.netty", "org.springframework.web",
            "org.springframework.http", "dev.hydrant.trafficcontroller");

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    ListenerLog() {
        appender.start();
        NAMES.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).addAppender(appender));
    }

    List<String> warnings() {
        return List.copyOf(appender.list).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        NAMES.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).detachAppender(appender));
    }
}
