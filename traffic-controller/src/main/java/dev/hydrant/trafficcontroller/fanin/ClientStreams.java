package dev.hydrant.trafficcontroller.fanin;

import io.micrometer.core.instrument.Counter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;

/**
 * Opens {@link ClientStream}s: every endpoint's clients get the same buffer size, the same fan-in
 * and the same delivery of the Traffic Controller's own envelopes.
 */
public final class ClientStreams {

    private final FanIn fanIn;
    private final LocalDelivery local;
    private final int bufferSize;
    private final Counter dropped;

    /**
     * @param bufferSize envelopes buffered per client (client-buffer-size), the oldest dropped beyond
     * @param dropped    counts them ({@code dropped{direction=egress}})
     */
    public ClientStreams(FanIn fanIn, LocalDelivery local, int bufferSize, Counter dropped) {
        this.fanIn = Objects.requireNonNull(fanIn, "fanIn");
        this.local = Objects.requireNonNull(local, "local");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, was " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    /**
     * Opens one client's stream; the caller must {@link ClientStream#close() close} it when the
     * client goes, whatever the way.
     *
     * @param request what the client selects (no selectors: nothing from the Dopplers)
     * @param gauge   the endpoint's open-streams gauge, up now and down at close
     */
    public ClientStream open(EgressBatchRequest request, AtomicInteger gauge) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(gauge, "gauge");
        return new ClientStream(request, new ClientBuffer(bufferSize, dropped), fanIn, local, gauge);
    }

    /** Whether any Doppler is known at all. */
    public boolean hasDopplers() {
        return fanIn.hasDopplers();
    }
}
