package dev.hydrant.trafficcontroller.config;

import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.grpc.OversizeRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Every meter of the Traffic Controller, declared and described here and nowhere else: {@link #DECLARED}
 * names each with its tag, kind and meaning (the Micrometer description); traffic-controller/README.md's
 * metrics table lists exactly these. All of them also go into the pipe as the Traffic Controller's own
 * envelopes, through the Metron agent of its host (source id {@value #SOURCE_ID}, origin {@value #ORIGIN});
 * JVM and HTTP meters stay in Prometheus only.
 */
public final class ProxyMetrics {

    public static final String SOURCE_ID = "traffic_controller";
    public static final String ORIGIN = "loggregator.trafficcontroller";

    /**
     * One meter: its name, its tag ({@code key} when the value varies, {@code key=value} when fixed,
     * empty for none), its kind ({@code counter} or {@code gauge}) and what it counts.
     */
    public record Declared(String name, String tag, String kind, String meaning) {
    }

    public static final Declared INGRESS = new Declared("ingress", "", "counter",
            "envelopes received from the Dopplers, over every client's subscription");
    public static final Declared EGRESS = new Declared("egress", "endpoint", "counter",
            "envelopes sent to clients (v1 envelopes on the v1 endpoints), by endpoint: firehose, app_stream, sse, "
                    + "grpc, recent_logs, container_metrics, read");
    public static final Declared DROPPED = new Declared("dropped", "direction=egress", "counter",
            "envelopes lost because a client did not take them before its buffer (client-buffer-size or client-buffer-bytes) filled up, "
                    + "or while its buffer held more than its share of egress-buffer-bytes, oldest first");
    public static final Declared SLOW_CONSUMERS = new Declared("doppler_proxy.slow_consumer", "", "counter",
            "websocket consumers cut for not taking the next envelope within slow-consumer-timeout");
    public static final Declared FIREHOSES = new Declared("doppler_proxy.firehoses", "", "gauge",
            "open v1 websocket firehoses");
    public static final Declared APP_STREAMS = new Declared("doppler_proxy.app_streams", "", "gauge",
            "open v1 websocket app streams");
    public static final Declared SSE_STREAMS = new Declared("sse_streams", "", "gauge",
            "open v2 server-sent-event streams");
    public static final Declared GRPC_STREAMS = new Declared("grpc_streams", "", "gauge",
            "open v2 gRPC egress streams");
    public static final Declared CLIENT_BUFFER_BYTES = new Declared("client_buffers.bytes", "", "gauge",
            "bytes all client buffers (gRPC, websocket, SSE) hold now, as weighed against egress-buffer-bytes (an "
                    + "envelope's framed size and 64 bytes)");
    public static final Declared DOPPLER_MISSES = new Declared("recent_logs.doppler_misses", "", "counter",
            "Doppler cache reads that failed or missed recent-logs-deadline; the answer went out without them");
    public static final Declared REJECTED_REQUESTS = new Declared("rejected_requests", "reason", "counter",
            "requests, streams and connections refused, by reason: no_token, invalid_token, missing_scope, "
                    + "not_permitted, bad_request, stream_limit (gRPC at max-grpc-streams, websocket and SSE at "
                    + "http.max-streams), unavailable, origin (a cookie token from a foreign Origin), connection_limit "
                    + "(http.max-connections), handshake_timeout, idle_timeout (no whole request within "
                    + "http.request-timeout)");
    public static final Declared PUBLIC_CONNECTIONS = new Declared("public_listener.connections", "", "gauge",
            "open connections on the public listener (port 8081), at most http.max-connections");
    public static final Declared MALFORMED_REQUESTS = new Declared(MalformedRequests.METRIC, "", "counter",
            "gRPC egress request messages that did not parse, refused with INVALID_ARGUMENT (logged at most once "
                    + "a minute)");
    public static final Declared OVERSIZE_REQUESTS = new Declared(OversizeRequests.METRIC, "", "counter",
            "gRPC egress request messages over the size limit, refused with RESOURCE_EXHAUSTED (logged at most once "
                    + "a minute, without grpc-netty's stack trace)");

    public static final Declared DRAINS_BOUND = new Declared("drains.bound", "", "gauge",
            "drain bindings stored, as this Traffic Controller last counted them (at start and after each change it "
                    + "made)");
    public static final Declared DRAINS_CHANGES = new Declared("drains.changes", "action", "counter",
            "drain binding requests through /v1/drains, by action: created, deleted, refused (invalid, blocked, over "
                    + "the limit or a duplicate)");

    /** Every meter of the Traffic Controller, in the README's order. */
    public static final List<Declared> DECLARED = List.of(INGRESS, EGRESS, DROPPED, SLOW_CONSUMERS, FIREHOSES,
            APP_STREAMS, SSE_STREAMS, GRPC_STREAMS, CLIENT_BUFFER_BYTES, DOPPLER_MISSES, REJECTED_REQUESTS, PUBLIC_CONNECTIONS,
            MALFORMED_REQUESTS, OVERSIZE_REQUESTS, DRAINS_BOUND, DRAINS_CHANGES);

    /** The meters that go into the pipe: all of {@link #DECLARED}. */
    public static final List<String> EMITTED = DECLARED.stream().map(Declared::name).toList();

    private final MeterRegistry registry;
    private final Counter ingress;
    private final Counter droppedEgress;
    private final Counter slowConsumers;
    private final Counter dopplerMisses;
    private final Counter malformedRequests;
    private final Counter oversizeRequests;
    private final AtomicInteger firehoses = new AtomicInteger();
    private final AtomicInteger appStreams = new AtomicInteger();
    private final AtomicInteger sseStreams = new AtomicInteger();
    private final AtomicInteger grpcStreams = new AtomicInteger();
    private final AtomicInteger drainsBound = new AtomicInteger();
    private final AtomicInteger publicConnections = new AtomicInteger();
    private volatile LongSupplier clientBufferBytes = () -> 0;
    private final Map<String, Counter> drainChanges = new ConcurrentHashMap<>();
    private final Map<String, Counter> egress = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ingress = counter(INGRESS, "");
        this.droppedEgress = counter(DROPPED, "egress");
        this.slowConsumers = counter(SLOW_CONSUMERS, "");
        this.dopplerMisses = counter(DOPPLER_MISSES, "");
        this.malformedRequests = counter(MALFORMED_REQUESTS, "");
        this.oversizeRequests = counter(OVERSIZE_REQUESTS, "");
        gauge(FIREHOSES, firehoses);
        gauge(APP_STREAMS, appStreams);
        gauge(SSE_STREAMS, sseStreams);
        gauge(GRPC_STREAMS, grpcStreams);
        gauge(DRAINS_BOUND, drainsBound);
        gauge(PUBLIC_CONNECTIONS, publicConnections);
        Gauge.builder(CLIENT_BUFFER_BYTES.name(), this, m -> m.clientBufferBytes.getAsLong())
                .description(CLIENT_BUFFER_BYTES.meaning()).strongReference(true).register(registry);
    }

    private Counter counter(Declared meter, String tagValue) {
        Counter.Builder builder = Counter.builder(meter.name()).description(meter.meaning());
        if (!meter.tag().isEmpty()) {
            builder.tag(meter.tag().split("=")[0], tagValue);
        }
        return builder.register(registry);
    }

    private void gauge(Declared meter, AtomicInteger value) {
        Gauge.builder(meter.name(), value, AtomicInteger::get).description(meter.meaning()).register(registry);
    }

    public Counter ingress() {
        return ingress;
    }

    public Counter droppedEgress() {
        return droppedEgress;
    }

    public Counter slowConsumers() {
        return slowConsumers;
    }

    public Counter dopplerMisses() {
        return dopplerMisses;
    }

    /** For {@link MalformedRequests} in front of the gRPC egress. */
    public Counter malformedRequests() {
        return malformedRequests;
    }

    /** For {@link OversizeRequests} on the gRPC egress server. */
    public Counter oversizeRequests() {
        return oversizeRequests;
    }

    /** @param endpoint firehose, app_stream, sse, grpc, recent_logs, container_metrics or read */
    public Counter egress(String endpoint) {
        return egress.computeIfAbsent(endpoint, e -> counter(EGRESS, e));
    }

    /** @param reason see {@link #REJECTED_REQUESTS} */
    public Counter rejected(String reason) {
        return rejected.computeIfAbsent(reason, r -> counter(REJECTED_REQUESTS, r));
    }

    /** @param action created, deleted or refused */
    public Counter drainChanges(String action) {
        return drainChanges.computeIfAbsent(action, a -> counter(DRAINS_CHANGES, a));
    }

    /** What {@link #CLIENT_BUFFER_BYTES} reads: the bytes all client buffers hold now. */
    public void clientBufferBytes(LongSupplier bytes) {
        this.clientBufferBytes = Objects.requireNonNull(bytes, "bytes");
    }

    public AtomicInteger drainsBound() {
        return drainsBound;
    }

    public AtomicInteger publicConnections() {
        return publicConnections;
    }

    public AtomicInteger firehoses() {
        return firehoses;
    }

    public AtomicInteger appStreams() {
        return appStreams;
    }

    public AtomicInteger sseStreams() {
        return sseStreams;
    }

    public AtomicInteger grpcStreams() {
        return grpcStreams;
    }
}
