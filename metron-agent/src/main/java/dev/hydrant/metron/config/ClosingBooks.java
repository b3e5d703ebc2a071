package dev.hydrant.metron.config;

import dev.hydrant.metron.egress.DopplerPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Logs the agent's books once it has stopped (after the Doppler pool's flush): every envelope
 * received is confirmed by a Doppler, counted as dropped, or still waiting, so that
 * {@code ingress = egress + dropped(ingress) + dropped(egress) + buffer.fill + dropped(rate_limit)} can be checked from
 * the log of an agent that is gone. It reads {@code buffer.fill} from the registry rather than
 * holding the pool: Spring stops a bean's dependents before the bean, whatever their phases.
 */
final class ClosingBooks implements SmartLifecycle {

    /** Stopped after the Doppler pool. */
    static final int PHASE = DopplerPool.PHASE - 1;

    private static final Logger log = LoggerFactory.getLogger(ClosingBooks.class);

    private final MetronMeters meters;
    private final MeterRegistry registry;
    private volatile boolean running;

    ClosingBooks(MetronMeters meters, MeterRegistry registry) {
        this.meters = meters;
        this.registry = registry;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (running) {
            running = false;
            log.info("metron stopped: ingress={} egress={} dropped.ingress={} dropped.egress={} buffer.fill={}"
                            + " dropped.rate_limit={}",
                    (long) meters.ingress().count(), (long) meters.egress().count(),
                    (long) meters.droppedIngress().count(), (long) meters.droppedEgress().count(),
                    waiting(), rateLimited());
        }
    }

    /** {@code buffer.fill}: envelopes still waiting for a Doppler. */
    private long waiting() {
        Gauge fill = registry.find("buffer.fill").gauge();
        return fill == null ? 0 : (long) fill.value();
    }

    /** {@code dropped{direction=rate_limit}}: logs over their app's rate limit. */
    private long rateLimited() {
        Counter limited = registry.find("dropped").tag("direction", "rate_limit").counter();
        return limited == null ? 0 : (long) limited.count();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
