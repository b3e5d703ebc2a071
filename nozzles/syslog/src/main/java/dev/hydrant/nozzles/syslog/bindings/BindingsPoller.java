package dev.hydrant.nozzles.syslog.bindings;

import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the bindings every {@code interval} and applies them when their generation changed, so a created or
 * deleted binding takes effect within one interval, without a restart. A failed read keeps the drains as they
 * are, counts the error and warns once per outage.
 */
public final class BindingsPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BindingsPoller.class);

    private final BindingsClient client;
    private final Drains drains;
    private final DrainMetrics metrics;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private long generation = Long.MIN_VALUE;
    private volatile boolean healthy;
    private volatile boolean loaded;
    private boolean failing;

    public BindingsPoller(BindingsClient client, Drains drains, DrainMetrics metrics, Duration interval) {
        this.client = Objects.requireNonNull(client, "client");
        this.drains = Objects.requireNonNull(drains, "drains");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "syslog-bindings");
            thread.setDaemon(true);
            return thread;
        });
    }

    public BindingsPoller start() {
        scheduler.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether the last read succeeded. */
    public boolean healthy() {
        return healthy;
    }

    /** Whether bindings were read at least once. */
    public boolean loaded() {
        return loaded;
    }

    private void poll() {
        try {
            BindingsClient.Snapshot snapshot = client.read();
            // a server without a generation (-1) is applied every time; apply is cheap when nothing changed
            if (snapshot.generation() != generation || snapshot.generation() < 0) {
                drains.apply(snapshot.bindings());
                generation = snapshot.generation();
            }
            healthy = true;
            loaded = true;
            if (failing) {
                failing = false;
                log.info("Reading the drain bindings again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (scheduler.isShutdown()) {
                return; // closing: the read was interrupted, nothing failed
            }
            healthy = false;
            metrics.bindingErrors().increment();
            if (!failing) {
                failing = true;
                log.warn("Cannot read the drain bindings ({}); the drains stay as they are, trying again every {}",
                        e.getMessage() == null ? e.toString() : e.getMessage(), interval);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
