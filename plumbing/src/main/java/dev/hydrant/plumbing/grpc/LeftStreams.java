package dev.hydrant.plumbing.grpc;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer that leaves a stream while a message to it is still queued makes grpc-netty log a WARN
 * "Stream Error" with a stack trace of some 30 lines ("Stream closed before write could take
 * place"). A subscriber leaving is normal, and one that connects and leaves in a loop could fill the
 * disk with it: those records are dropped by a filter on grpc-netty's logger and reported in one line
 * at most once a minute, with how many there were. Other records of that logger are left as they are.
 *
 * <p>Installed once, by {@link #quiet()}, when a server is {@linkplain MalformedRequests#watch watched}.
 */
public final class LeftStreams {

    /** The grpc-netty logger that writes the WARN with a stack trace per stream left with a write pending. */
    static final String GRPC_NETTY_HANDLER_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler";

    static final String LEFT_BEFORE_WRITE = "Stream closed before write could take place";

    private static final Logger log = LoggerFactory.getLogger(LeftStreams.class);
    private static final MinuteReport REPORT = new MinuteReport();
    /** Held so that the filter stays: java.util.logging keeps its loggers only weakly. */
    private static final java.util.logging.Logger QUIETED = install();

    private LeftStreams() {
    }

    /** Makes sure the filter is installed (it is when this class loads). */
    public static void quiet() {
        QUIETED.getName();
    }

    private static java.util.logging.Logger install() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(GRPC_NETTY_HANDLER_LOGGER);
        Filter previous = logger.getFilter();
        logger.setFilter(record -> {
            if (leftBeforeWrite(record)) {
                report();
                return false;
            }
            return previous == null || previous.isLoggable(record);
        });
        return logger;
    }

    static boolean leftBeforeWrite(LogRecord record) {
        for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains(LEFT_BEFORE_WRITE)) {
                return true;
            }
        }
        return false;
    }

    private static void report() {
        long count = REPORT.occurred();
        if (count > 0) {
            log.info("{} gRPC stream(s) were left by their peer with a message still queued since the last report"
                    + " (normal when subscribers leave; the message is discarded)", count);
        }
    }
}
