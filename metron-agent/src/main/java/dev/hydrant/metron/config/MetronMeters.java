package dev.hydrant.metron.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The agent's envelope counters (the loss accounting of this hop).
 *
 * @param ingress        {@code ingress}: envelopes received (from emitters and the agent's own metrics)
 * @param egress         {@code egress}: envelopes a Doppler confirmed
 * @param droppedIngress {@code dropped{direction=ingress}}: envelopes pushed out of the full buffer
 * @param droppedEgress  {@code dropped{direction=egress}}: envelopes lost on a broken stream, or
 *                       still buffered when the agent stopped
 */
public record MetronMeters(Counter ingress, Counter egress, Counter droppedIngress, Counter droppedEgress) {

    static MetronMeters register(MeterRegistry registry) {
        return new MetronMeters(
                Counter.builder("ingress").description("Envelopes received by the agent").register(registry),
                Counter.builder("egress").description("Envelopes confirmed by a Doppler").register(registry),
                dropped(registry, "ingress"),
                dropped(registry, "egress"));
    }

    private static Counter dropped(MeterRegistry registry, String direction) {
        return Counter.builder("dropped").tag("direction", direction)
                .description("Envelopes lost by the agent: direction=ingress when pushed out of the full buffer, "
                        + "direction=egress when on a stream to a Doppler that broke before confirming them")
                .register(registry);
    }
}
