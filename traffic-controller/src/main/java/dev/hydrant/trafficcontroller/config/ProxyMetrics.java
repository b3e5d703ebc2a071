package dev.hydrant.trafficcontroller.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Traffic Controller's own meters, in one place:
 * <ul>
 *   <li>{@code ingress}: envelopes received from the Dopplers, over every client subscription;</li>
 *   <li>{@code egress{endpoint}}: envelopes (v1 frames for websockets) sent to clients, by endpoint:
 *       firehose, app_stream, sse, grpc, recent_logs, container_metrics, read;</li>
 *   <li>{@code dropped{direction=egress}}: envelopes lost because a client did not take them before its
 *       buffer (client-buffer-size) filled up;</li>
 *   <li>{@code doppler_proxy.slow_consumer}: websocket consumers disconnected for not taking the next
 *       envelope within slow-consumer-timeout;</li>
 *   <li>{@code doppler_proxy.firehoses}, {@code doppler_proxy.app_streams}: open websocket firehose and app
 *       streams; {@code sse_streams}, {@code grpc_streams}: open v2 streams;</li>
 *   <li>{@code recent_logs.doppler_misses}: Doppler answers to a recent-log read that failed or missed the
 *       deadline (the answer went out without them).</li>
 * </ul>
 * Refused requests are counted by {@link dev.hydrant.trafficcontroller.auth.Rejections}. The meters in
 * {@link #EMITTED} also go into the pipe as the Traffic Controller's own envelopes, through the Metron
 * agent of its host (source id {@value #SOURCE_ID}, origin {@value #ORIGIN}).
 */
public final class ProxyMetrics {

    public static final String SOURCE_ID = "traffic_controller";
    public static final String ORIGIN = "loggregator.trafficcontroller";

    /** The meters that go into the pipe; JVM and HTTP meters stay in Prometheus only. */
    public static final List<String> EMITTED = List.of("ingress", "egress", "dropped", "doppler_proxy.slow_consumer",
            "doppler_proxy.firehoses", "doppler_proxy.app_streams", "sse_streams", "grpc_streams",
            "recent_logs.doppler_misses", "rejected_requests", "grpc.malformed_requests");

    private final MeterRegistry registry;
    private final Counter ingress;
    private final Counter droppedEgress;
    private final Counter slowConsumers;
    private final Counter dopplerMisses;
    private final AtomicInteger firehoses = new AtomicInteger();
    private final AtomicInteger appStreams = new AtomicInteger();
    private final AtomicInteger sseStreams = new AtomicInteger();
    private final AtomicInteger grpcStreams = new AtomicInteger();
    private final Map<String, Counter> egress = new ConcurrentHashMap<>();

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ingress = Counter.builder("ingress").description("Envelopes received from the Dopplers").register(registry);
        this.droppedEgress = Counter.builder("dropped").tag("direction", "egress")
                .description("Envelopes lost in full client buffers").register(registry);
        this.slowConsumers = Counter.builder("doppler_proxy.slow_consumer")
                .description("Websocket consumers disconnected as slow consumers").register(registry);
        this.dopplerMisses = Counter.builder("recent_logs.doppler_misses")
                .description("Doppler cache reads that failed or missed the deadline").register(registry);
        Gauge.builder("doppler_proxy.firehoses", firehoses, AtomicInteger::get)
                .description("Open websocket firehose streams").register(registry);
        Gauge.builder("doppler_proxy.app_streams", appStreams, AtomicInteger::get)
                .description("Open websocket app streams").register(registry);
        Gauge.builder("sse_streams", sseStreams, AtomicInteger::get)
                .description("Open v2 server-sent-event streams").register(registry);
        Gauge.builder("grpc_streams", grpcStreams, AtomicInteger::get)
                .description("Open v2 gRPC egress streams").register(registry);
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

    public Counter egress(String endpoint) {
        return egress.computeIfAbsent(endpoint, e -> Counter.builder("egress").tag("endpoint", e)
                .description("Envelopes sent to clients, by endpoint").register(registry));
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
