package dev.hydrant.doppler.config;

import dev.hydrant.plumbing.grpc.MalformedRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every meter the doppler defines, declared and described here and nowhere else; the metrics
 * table of {@code doppler/README.md} follows this class row for row (a test holds it to that).
 * Prometheus adds {@code _total} to counters and writes dots as underscores; the meters in
 * {@link #EMITTED} also go into the pipe as the doppler's own envelopes.
 *
 * <table>
 * <caption>doppler meters</caption>
 * <tr><td>{@code ingress}</td><td>counter</td><td>envelopes received from emitters (Sender, BatchSender, Send)</td></tr>
 * <tr><td>{@code egress}</td><td>counter</td><td>envelopes sent to egress subscribers</td></tr>
 * <tr><td>{@code dropped{direction=egress}}</td><td>counter</td><td>envelopes lost in subscriber buffers: the oldest
 *     pushed out when a subscriber's buffer is full, and what was still buffered when its stream closed</td></tr>
 * <tr><td>{@code subscriptions}</td><td>gauge</td><td>open egress streams</td></tr>
 * <tr><td>{@code subscriber.buffer.fill}</td><td>gauge</td><td>envelopes waiting in all subscriber buffers</td></tr>
 * <tr><td>{@code cache.sources}</td><td>gauge</td><td>source ids in the recent-envelope cache</td></tr>
 * <tr><td>{@code cache.bytes}</td><td>gauge</td><td>bytes in the recent-envelope cache: the envelopes' encoded size plus 64 each</td></tr>
 * <tr><td>{@code grpc.malformed_requests}</td><td>counter</td><td>gRPC request messages that did not parse, refused with INVALID_ARGUMENT</td></tr>
 * <tr><td>{@code grpc.oversize_requests}</td><td>counter</td><td>gRPC request messages over the size limit, refused with RESOURCE_EXHAUSTED</td></tr>
 * </table>
 *
 * <p>The doppler drops nothing at ingress, so there is no {@code dropped{direction=ingress}}; its
 * own envelopes (self-metrics) are cached and routed but not counted as {@code ingress}.
 *
 * @param ingress           {@code ingress}
 * @param egress            {@code egress}
 * @param droppedEgress     {@code dropped{direction=egress}}
 * @param malformedRequests the guard of the gRPC server, counting {@code grpc.malformed_requests} and {@code grpc.oversize_requests}
 */
public record DopplerMetrics(Counter ingress, Counter egress, Counter droppedEgress,
                             MalformedRequests malformedRequests) {

    /** Names of the meters emitted as self-metric envelopes. */
    public static final List<String> EMITTED = List.of("ingress", "egress", "dropped", "subscriptions",
            "subscriber.buffer.fill", "cache.sources", "cache.bytes");

    /** Registers the counters. */
    public static DopplerMetrics register(MeterRegistry registry) {
        return new DopplerMetrics(
                Counter.builder("ingress").description("Envelopes received from emitters (Sender, BatchSender, Send)")
                        .register(registry),
                Counter.builder("egress").description("Envelopes sent to egress subscribers")
                        .register(registry),
                Counter.builder("dropped").tag("direction", "egress")
                        .description("Envelopes lost in subscriber buffers: the oldest pushed out when a subscriber's "
                                + "buffer is full, and what was still buffered when its stream closed")
                        .register(registry),
                MalformedRequests.registeredIn(registry));
    }

    /**
     * Registers the gauges, which read the pipeline's state.
     *
     * @param subscriptions open egress streams
     * @param bufferFill    envelopes waiting in all subscriber buffers
     * @param cacheSources  source ids in the recent-envelope cache
     * @param cacheBytes    bytes in it
     */
    public static void registerGauges(MeterRegistry registry, Supplier<Number> subscriptions,
                                      Supplier<Number> bufferFill, Supplier<Number> cacheSources,
                                      Supplier<Number> cacheBytes) {
        Gauge.builder("subscriptions", subscriptions).description("Open egress streams").register(registry);
        Gauge.builder("subscriber.buffer.fill", bufferFill)
                .description("Envelopes waiting in all subscriber buffers").register(registry);
        Gauge.builder("cache.sources", cacheSources).description("Source ids in the recent-envelope cache")
                .register(registry);
        Gauge.builder("cache.bytes", cacheBytes).description("Bytes in the recent-envelope cache: the envelopes' encoded size plus 64 each")
                .baseUnit("bytes").register(registry);
    }
}
