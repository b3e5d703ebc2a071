package dev.hydrant.plumbing.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LeftStreamsTest {

    private final Logger nettyHandler = Logger.getLogger(LeftStreams.GRPC_NETTY_HANDLER_LOGGER);
    private final List<LogRecord> passed = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> reports = new ListAppender<>();
    private final Handler collector = new Handler() {
        @Override
        public void publish(LogRecord record) {
            passed.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        LeftStreams.quiet();
        nettyHandler.addHandler(collector);
        reports.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LeftStreams.class)).addAppender(reports);
    }

    @AfterEach
    void stopListening() {
        nettyHandler.removeHandler(collector);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LeftStreams.class)).detachAppender(reports);
    }

    @Test
    void streamsLeftWithAWritePending_areNotLoggedOneByOne_butReportedInAtMostOneLineAMinute() {
        for (int i = 0; i < 200; i++) {
            LogRecord record = new LogRecord(Level.WARNING, "Stream Error");
            record.setThrown(Http2Exception.streamError(2 * i + 1, Http2Error.STREAM_CLOSED,
                    "Stream closed before write could take place"));
            nettyHandler.log(record);
        }

        assertThat(passed).isEmpty();
        assertThat(reports.list).hasSizeLessThanOrEqualTo(1)
                .allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
    }

    @Test
    void otherStreamErrors_areStillLogged() {
        LogRecord record = new LogRecord(Level.WARNING, "Stream Error");
        record.setThrown(Http2Exception.streamError(7, Http2Error.PROTOCOL_ERROR, "a frame out of order"));
        nettyHandler.log(record);

        assertThat(passed).containsExactly(record);
    }
}
