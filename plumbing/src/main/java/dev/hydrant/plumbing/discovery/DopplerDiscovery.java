package dev.hydrant.plumbing.discovery;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a component's set of Dopplers in step with DNS: it resolves the configured Dopplers when
 * started and again every interval, on its own daemon thread, and tells its {@link Listener} about
 * each address that appears and each that disappears. Once {@link #close()} has returned the
 * listener is not called again.
 */
public final class DopplerDiscovery implements AutoCloseable {

    /** Told about changes, on the thread that resolved (the caller's for the first time, then the discovery's). */
    public interface Listener {

        /** A Doppler address to start using. */
        void added(InetSocketAddress doppler);

        /** A Doppler address no name resolves to any more. */
        void removed(InetSocketAddress doppler);
    }

    private static final Logger log = LoggerFactory.getLogger(DopplerDiscovery.class);

    private final DopplerResolver resolver;
    private final Listener listener;
    private final String threadName;
    private final Set<InetSocketAddress> current = new LinkedHashSet<>();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /** @param threadName the name of the thread that resolves again */
    public DopplerDiscovery(DopplerResolver resolver, Listener listener, String threadName) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.threadName = Objects.requireNonNull(threadName, "threadName");
    }

    /** Resolves now (blocking, telling the listener), then again every {@code interval}. */
    public synchronized void start(Duration interval) {
        if (scheduler != null || closed) {
            return;
        }
        long millis = interval.toMillis();
        if (millis < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms: " + interval);
        }
        refresh();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The Doppler addresses in use now. */
    public synchronized Set<InetSocketAddress> current() {
        return Set.copyOf(current);
    }

    /**
     * Resolves now and tells the listener what changed. An address whose {@code added} failed is
     * not taken as in use, so it is offered again next time.
     */
    public synchronized void refresh() {
        if (closed) {
            return;
        }
        try {
            Set<InetSocketAddress> now = resolver.resolve();
            for (InetSocketAddress doppler : now) {
                if (!current.contains(doppler) && tell(doppler, true)) {
                    current.add(doppler);
                }
            }
            for (InetSocketAddress doppler : List.copyOf(current)) {
                if (!now.contains(doppler)) {
                    current.remove(doppler);
                    tell(doppler, false);
                }
            }
        } catch (RuntimeException e) {
            log.warn("resolving the Dopplers failed; keeping the current set", e);
        }
    }

    private boolean tell(InetSocketAddress doppler, boolean added) {
        try {
            if (added) {
                listener.added(doppler);
            } else {
                listener.removed(doppler);
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("could not {} Doppler {}", added ? "add" : "remove", DopplerAddress.of(doppler), e);
            return false;
        }
    }

    /** Stops resolving; waits for a resolution under way to finish. Does not tell the listener anything. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            closed = true;
            running = scheduler;
        }
        if (running != null) {
            running.shutdownNow();
        }
    }
}
