package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.nozzles.splunk.format.Chunk;
import dev.hydrant.nozzles.splunk.hec.HecMetrics.Rejected;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexer acknowledgement: requests the HEC accepted with an {@code ackId} wait here (at most
 * {@code maxPending}; the writer waits for room beyond) while a thread asks {@code /services/collector/ack}
 * every {@code pollInterval} which are indexed. An indexed request's events are told to its {@link Tally} as
 * sent; one not acknowledged within {@code timeout} is sent again up to {@code resends} times, then its
 * events are told as {@code unacknowledged}. Either way the request is then done.
 */
public final class AckTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AckTracker.class);
    private static final int MAX_IDS_PER_QUERY = 1000;

    private record Pending(Chunk chunk, long deadlineNanos, int resends, Tally tally) {
    }

    private final HecClient client;
    private final HecSender sender;
    private final long timeoutNanos;
    private final int resends;
    private final int maxPending;
    private final Duration closeGrace;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller;
    private volatile boolean queryFailing;
    private final AtomicBoolean closed = new AtomicBoolean();

    public AckTracker(HecClient client, HecSender sender, HecMetrics metrics, Duration pollInterval, Duration timeout,
                      int resends, int maxPending, Duration closeGrace) {
        this.closeGrace = closeGrace;
        this.client = client;
        this.sender = sender;
        this.timeoutNanos = timeout.toNanos();
        this.resends = resends;
        this.maxPending = maxPending;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "splunk-ack-poller");
            thread.setDaemon(true);
            return thread;
        });
        metrics.acksPending(pending::size);
        poller.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Holds {@code chunk} until {@code ackId} is acknowledged; waits while {@code maxPending} are held. */
    void await(long ackId, Chunk chunk, Tally tally) {
        synchronized (this) {
            while (pending.size() >= maxPending) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    tally.rejected(Rejected.SHUTDOWN, chunk.events());
                    tally.requestDone();
                    return;
                }
            }
            pending.put(ackId, new Pending(withoutJson(chunk), System.nanoTime() + timeoutNanos, 0, tally));
        }
    }

    public int pending() {
        return pending.size();
    }

    /** One round: counts what is indexed, resends or drops what timed out. */
    void poll() {
        try {
            List<Long> ids = new ArrayList<>(pending.keySet());
            for (int from = 0; from < ids.size(); from += MAX_IDS_PER_QUERY) {
                List<Long> some = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_QUERY));
                for (Map.Entry<Long, Boolean> ack : client.acknowledged(some).entrySet()) {
                    Pending done = ack.getValue() ? pending.remove(ack.getKey()) : null;
                    if (done != null) {
                        done.tally().sent(done.chunk().events());
                        done.tally().requestDone();
                    }
                }
            }
            if (queryFailing) {
                queryFailing = false;
                LOG.info("The Splunk HEC answers acknowledgement queries again");
            }
        } catch (IOException e) {
            if (!queryFailing) {
                queryFailing = true;
                LOG.warn("Cannot ask the Splunk HEC which requests are indexed ({}); asking again every poll", e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.warn("Acknowledgement poll failed: {}", e.toString());
        }
        expire();
        synchronized (this) {
            notifyAll();
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            Pending held = entry.getValue();
            if (now - held.deadlineNanos() < 0 || !pending.remove(entry.getKey(), held)) {
                continue;
            }
            if (held.resends() >= resends) {
                held.tally().rejected(Rejected.UNACKNOWLEDGED, held.chunk().events());
                held.tally().requestDone();
                continue;
            }
            long ackId = sender.send(held.chunk(), true, held.tally());
            if (ackId >= 0) {
                pending.put(ackId, new Pending(held.chunk(), System.nanoTime() + timeoutNanos, held.resends() + 1,
                        held.tally()));
            } else {
                held.tally().requestDone();
            }
        }
    }

    /**
     * Stops polling after waiting up to {@code grace} for what is pending to be acknowledged; what is still
     * pending then is counted as {@code shutdown}.
     */
    public void close(Duration grace) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        poller.shutdown();
        try {
            if (!poller.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                poller.shutdownNow();
            }
            long end = System.nanoTime() + grace.toNanos();
            while (!pending.isEmpty() && System.nanoTime() - end < 0) {
                poll();
                if (!pending.isEmpty()) {
                    Thread.sleep(100); // the HEC's pace, not a synchronisation
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending left : pending.values()) {
            left.tally().rejected(Rejected.SHUTDOWN, left.chunk().events());
            left.tally().requestDone();
        }
        pending.clear();
    }

    @Override
    public void close() {
        close(closeGrace);
    }

    /** What a resend needs: the body, not the uncompressed JSON. */
    private static Chunk withoutJson(Chunk chunk) {
        return new Chunk(chunk.body(), chunk.events(), null, null, chunk.gzipped());
    }
}
