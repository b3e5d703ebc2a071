package dev.hydrant.metron.containers;

import dev.hydrant.metron.ingress.IngressServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.springframework.context.SmartLifecycle;

/**
 * Samples every configured container on one daemon thread every interval (the first tick sets the CPU
 * baselines) and hands the container metrics of a tick, as one batch, to the sink. Starts and stops
 * with the ingress.
 */
public final class ContainerMetricsScheduler implements SmartLifecycle {

    private final List<ContainerSampler> samplers;
    private final Duration interval;
    private final Consumer<List<Envelope>> sink;
    private ScheduledExecutorService ticks;

    public ContainerMetricsScheduler(List<ContainerSampler> samplers, Duration interval, Consumer<List<Envelope>> sink) {
        this.samplers = List.copyOf(samplers);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Samples every container once; what the scheduler does at each tick. */
    public void tick() {
        List<Envelope> metrics = new ArrayList<>(samplers.size());
        for (ContainerSampler sampler : samplers) {
            sampler.sample().ifPresent(metrics::add);
        }
        if (!metrics.isEmpty()) {
            sink.accept(metrics);
        }
    }

    @Override
    public synchronized void start() {
        if (ticks != null || samplers.isEmpty()) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "metron-container-metrics");
            thread.setDaemon(true);
            return thread;
        });
        ticks.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (ticks != null) {
            ticks.shutdownNow();
            ticks = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return ticks != null;
    }

    @Override
    public int getPhase() {
        return IngressServer.PHASE;
    }
}
