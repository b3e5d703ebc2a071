package dev.hydrant.metron.config;

import dev.hydrant.metron.ingress.IngressServer;
import dev.hydrant.plumbing.metrics.SelfMetricsEmitter;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the agent's {@link SelfMetricsEmitter} alongside ingress: it starts with the ingress
 * server and stops with it, before the Dopplers are flushed, so that no self-metric envelope is
 * put into the buffer after the last flush.
 */
final class SelfMetrics implements SmartLifecycle {

    private final SelfMetricsEmitter emitter;
    private final Duration interval;
    private volatile boolean running;

    SelfMetrics(SelfMetricsEmitter emitter, Duration interval) {
        this.emitter = emitter;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (!running) {
            emitter.start(interval);
            running = true;
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            emitter.close();
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return IngressServer.PHASE;
    }
}
