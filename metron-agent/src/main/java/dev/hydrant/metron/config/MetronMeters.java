package dev.hydrant.metron.config;

import dev.hydrant.plumbing.grpc.MalformedRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every meter the agent defines, declared and described here and nowhere else; the metrics table
 * of {@code metron-agent/README.md} follows this class row for row (a test holds it to that).
 * Prometheus adds {@code _total} to counters and writes dots as underscores.
 *
 * <table>
 * <caption>metron meters</caption>
 * <tr><td>{@code ingress}</td><td>counter</td><td>envelopes received from emitters (gRPC, UDP) and from the agent's own metrics</td></tr>
 * <tr><td>{@code egress}</td><td>counter</td><td>envelopes a Doppler confirmed (a BatchSender stream that ended with its response)</td></tr>
 * <tr><td>{@code dropped{direction=ingress}}</td><td>counter</td><td>envelopes pushed out of the full buffer, oldest first</td></tr>
 * <tr><td>{@code dropped{direction=egress}}</td><td>counter</td><td>envelopes written to a stream that broke before confirming them, in a batch bigger than a Doppler accepts, or left in the buffer at shutdown</td></tr>
 * <tr><td>{@code buffer.fill}</td><td>gauge</td><td>envelopes waiting now: in the buffer or in a batch being filled</td></tr>
 * <tr><td>{@code doppler.connections}</td><td>gauge</td><td>streams to Dopplers established now</td></tr>
 * <tr><td>{@code counter.totals.resets}</td><td>counter</td><td>times the counter-totals map was cleared because it was full</td></tr>
 * <tr><td>{@code udp.malformed}</td><td>counter</td><td>UDP datagrams that were not a v1 envelope with a v2 form, skipped</td></tr>
 * <tr><td>{@code grpc.malformed_requests}</td><td>counter</td><td>gRPC request messages that did not parse, refused with INVALID_ARGUMENT</td></tr>
 * <tr><td>{@code grpc.oversize_requests}</td><td>counter</td><td>gRPC request messages over the size limit, refused with RESOURCE_EXHAUSTED</td></tr>
 * </table>
 *
 * <p>At any quiet moment {@code ingress = egress + dropped{ingress} + dropped{egress} + buffer.fill}
 * {@code + dropped{rate_limit}} (the last declared in {@code ratelimit.RateLimitMeters}).
 *
 * @param ingress             {@code ingress}
 * @param egress              {@code egress}
 * @param droppedIngress      {@code dropped{direction=ingress}}
 * @param droppedEgress       {@code dropped{direction=egress}}
 * @param counterTotalsResets {@code counter.totals.resets}
 * @param udpMalformed        {@code udp.malformed} (registered also when the UDP ingress is off, then it stays 0)
 * @param malformedRequests   the guard of the gRPC ingress, counting {@code grpc.malformed_requests} and {@code grpc.oversize_requests}
 */
public record MetronMeters(Counter ingress, Counter egress, Counter droppedIngress, Counter droppedEgress,
                           Counter counterTotalsResets, Counter udpMalformed, MalformedRequests malformedRequests) {

    /** The meters the agent also emits into its own pipe, as envelopes of source id {@code metron}. */
    public static final List<String> EMITTED = List.of("ingress", "egress", "dropped", "buffer.fill", "doppler.connections");

    /** Registers the counters. */
    public static MetronMeters register(MeterRegistry registry) {
        return new MetronMeters(
                Counter.builder("ingress")
                        .description("Envelopes received from emitters (gRPC, UDP) and from the agent's own metrics")
                        .register(registry),
                Counter.builder("egress")
                        .description("Envelopes a Doppler confirmed (a BatchSender stream that ended with its response)")
                        .register(registry),
                Counter.builder("dropped").tag("direction", "ingress")
                        .description("Envelopes pushed out of the full buffer, oldest first")
                        .register(registry),
                Counter.builder("dropped").tag("direction", "egress")
                        .description("Envelopes written to a stream that broke before confirming them, "
                                + "in a batch bigger than a Doppler accepts, or left in the buffer at shutdown")
                        .register(registry),
                Counter.builder("counter.totals.resets")
                        .description("Times the counter-totals map was cleared because it was full")
                        .register(registry),
                Counter.builder("udp.malformed")
                        .description("UDP datagrams that were not a v1 envelope with a v2 form, skipped")
                        .register(registry),
                MalformedRequests.registeredIn(registry));
    }

    /**
     * Registers the gauges, which read the egress.
     *
     * @param waiting          envelopes waiting now: in the buffer or in a batch being filled
     * @param connectedStreams streams to Dopplers established now
     */
    public static void registerGauges(MeterRegistry registry, Supplier<Number> waiting, Supplier<Number> connectedStreams) {
        Gauge.builder("buffer.fill", waiting)
                .description("Envelopes waiting now: in the buffer or in a batch being filled")
                .baseUnit("envelopes")
                .register(registry);
        Gauge.builder("doppler.connections", connectedStreams)
                .description("Streams to Dopplers established now")
                .baseUnit("streams")
                .register(registry);
    }
}
