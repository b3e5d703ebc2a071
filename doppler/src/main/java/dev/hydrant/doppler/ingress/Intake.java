package dev.hydrant.doppler.ingress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.doppler.cache.RecentEnvelopeCache;
import dev.hydrant.doppler.routing.Router;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Where every received batch goes, on the thread that received it (no ingress queue): counted,
 * kept in the recent-envelope cache, and routed into the subscribers' buffers, as the bytes the
 * envelopes arrived in.
 */
public final class Intake {

    private final Router router;
    private final RecentEnvelopeCache cache;
    private final Counter ingress;

    /** @param ingress counts envelopes received from emitters */
    public Intake(Router router, RecentEnvelopeCache cache, Counter ingress) {
        this.router = Objects.requireNonNull(router, "router");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
    }

    /** A batch received from an emitter. */
    public void accept(List<EncodedEnvelope> batch) {
        if (batch.isEmpty()) {
            return;
        }
        ingress.increment(batch.size());
        cache.add(batch);
        router.route(batch);
    }

    /**
     * The doppler's own envelopes (self-metrics), each encoded here once: cached and routed, but not
     * counted as ingress.
     */
    public void acceptOwn(List<Envelope> envelopes) {
        List<EncodedEnvelope> batch = new ArrayList<>(envelopes.size());
        for (Envelope envelope : envelopes) {
            batch.add(EncodedEnvelope.of(envelope));
        }
        cache.add(batch);
        router.route(batch);
    }
}
