package dev.hydrant.plumbing.grpc;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts request messages over {@link GrpcTransport#MAX_MESSAGE_BYTES}, refused by grpc-java with
 * {@code RESOURCE_EXHAUSTED}, and reports them in one line at most once a minute. Left to itself,
 * grpc-netty logs a WARN with a stack trace of some 40 lines for every such message, so a client with
 * a certificate could fill the disk: that line is dropped by a filter on grpc-netty's logger, for
 * this refusal only (other stream failures it logs are left as they are).
 *
 * <p>Install {@link #tracer()} on every server whose services are guarded.
 */
public final class OversizeRequests {

    /** Counted as {@code grpc.oversize_requests}. */
    public static final String METRIC = "grpc.oversize_requests";

    /** The grpc-netty logger that writes the WARN with a stack trace per oversize message. */
    static final String GRPC_NETTY_STREAM_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";

    private static final Logger log = LoggerFactory.getLogger(OversizeRequests.class);
    /** Held so that the filter stays: java.util.logging keeps its loggers only weakly. */
    private static final java.util.logging.Logger QUIETED = quiet();

    private final Counter refused;
    private final MinuteReport report = new MinuteReport();

    /** @param refused counts every refused message, see {@link #METRIC} */
    public OversizeRequests(Counter refused) {
        this.refused = Objects.requireNonNull(refused, "refused");
    }

    /** Counting into {@link #METRIC} of {@code registry}. */
    public static OversizeRequests registeredIn(MeterRegistry registry) {
        return new OversizeRequests(Counter.builder(METRIC)
                .description("gRPC request messages over the size limit, refused with RESOURCE_EXHAUSTED")
                .register(registry));
    }

    /** The tracer factory to add to a server builder; it sees how each call ends. */
    public ServerStreamTracer.Factory tracer() {
        return new ServerStreamTracer.Factory() {
            @Override
            public ServerStreamTracer newServerStreamTracer(String method, Metadata headers) {
                return new Watch(method);
            }
        };
    }

    static boolean isOversize(Status status) {
        String description = status.getDescription();
        return status.getCode() == Status.Code.RESOURCE_EXHAUSTED && description != null
                && description.contains("exceeds maximum size");
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(GRPC_NETTY_STREAM_LOGGER);
        Filter previous = logger.getFilter();
        logger.setFilter(record -> !oversizeRecord(record) && (previous == null || previous.isLoggable(record)));
        return logger;
    }

    private static boolean oversizeRecord(LogRecord record) {
        return record.getThrown() != null && isOversize(Status.fromThrowable(record.getThrown()));
    }

    private void record(String method, SocketAddress peer) {
        refused.increment();
        long count = report.occurred();
        if (count > 0) {
            log.warn("Refused {} gRPC request message(s) over the limit of {} bytes since the last report, the latest a {} from {}",
                    count, GrpcTransport.MAX_MESSAGE_BYTES, method,
                    peer == null ? "an unknown peer" : peer);
        }
    }

    private final class Watch extends ServerStreamTracer {
        private final String method;
        private final AtomicReference<SocketAddress> peer = new AtomicReference<>();

        Watch(String method) {
            this.method = method;
        }

        @Override
        public void serverCallStarted(ServerCallInfo<?, ?> callInfo) {
            peer.set(callInfo.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        }

        @Override
        public void streamClosed(Status status) {
            if (isOversize(status)) {
                record(method, peer.get());
            }
        }
    }
}
