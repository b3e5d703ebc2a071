package dev.hydrant.metron.files;

import dev.hydrant.metron.config.MetronMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The agent's books as the file tailer needs them: how many envelopes have entered the agent
 * ({@code ingress}), and how many have left it, confirmed by a Doppler ({@code egress}) or counted as
 * dropped (pushed out of the buffer, lost on a broken stream, over an app's rate limit).
 */
public interface AgentBooks {

    long entered();

    long left();

    /** The books of the agent whose meters these are. */
    static AgentBooks of(MetronMeters meters, MeterRegistry registry) {
        return new AgentBooks() {
            @Override
            public long entered() {
                return (long) meters.ingress().count();
            }

            @Override
            public long left() {
                Counter rateLimited = registry.find("dropped").tag("direction", "rate_limit").counter();
                return (long) (meters.egress().count() + meters.droppedIngress().count() + meters.droppedEgress().count()
                        + (rateLimited == null ? 0 : rateLimited.count()));
            }
        };
    }
}
