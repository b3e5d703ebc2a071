package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.nozzles.splunk.format.Chunk;
import dev.hydrant.nozzles.splunk.format.HecEncoder;
import dev.hydrant.nozzles.splunk.hec.HecMetrics.Rejected;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The nozzle SDK's sink: encodes each batch into HEC requests of at most {@code max-batch-bytes} and hands
 * them to {@code maxInFlight} sender threads (the SDK's writer waits while that many are in flight), so that
 * encoding the next batch overlaps the HEC's answer to the last. It retries itself ({@link HecSender}: it
 * knows 429's {@code Retry-After}, which statuses are worth a retry and which parts of a split batch went
 * through) and never throws, so the SDK counts every batch as written; what happened to each event is in
 * {@link HecMetrics}: {@code nozzle.written = splunk.events.sent + splunk.events.rejected + in flight or
 * awaiting acknowledgement}.
 */
public final class HecSink implements NozzleSink, AutoCloseable {

    private final HecEncoder encoder;
    private final HecSender sender;
    private final HecMetrics metrics;
    private final AckTracker acks;
    private final Semaphore inFlight;
    private final ExecutorService senders;
    private final Duration closeGrace;

    /**
     * @param acks        the acknowledgement tracker, or null without acknowledgement
     * @param maxInFlight requests sent at once at most
     * @param closeGrace  how long {@link #close()} waits for the requests in flight
     */
    public HecSink(HecEncoder encoder, HecSender sender, HecMetrics metrics, AckTracker acks, int maxInFlight,
                   Duration closeGrace) {
        this.encoder = encoder;
        this.sender = sender;
        this.metrics = metrics;
        this.acks = acks;
        this.inFlight = new Semaphore(maxInFlight);
        this.closeGrace = closeGrace;
        AtomicInteger number = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(maxInFlight, r -> {
            Thread thread = new Thread(r, "splunk-sender-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void write(List<Envelope> batch) {
        HecEncoder.Encoded encoded = encoder.encode(batch);
        metrics.rejected(Rejected.INVALID, encoded.skipped());
        List<Chunk> chunks = encoded.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                chunks.subList(i, chunks.size()).forEach(left -> metrics.rejected(Rejected.SHUTDOWN, left.events()));
                return;
            }
            try {
                senders.execute(() -> send(chunk));
            } catch (RejectedExecutionException closed) {
                inFlight.release();
                metrics.rejected(Rejected.SHUTDOWN, chunk.events());
            }
        }
    }

    private void send(Chunk chunk) {
        try {
            Chunk ready = chunk.compressed();
            long ackId = sender.send(ready, acks != null);
            if (ackId >= 0) {
                acks.await(ackId, ready);
            }
        } finally {
            inFlight.release();
        }
    }

    /**
     * Waits up to the grace for the requests in flight (the SDK has flushed its buffer by then), then for
     * their acknowledgements.
     */
    @Override
    public void close() {
        senders.shutdown();
        try {
            if (!senders.awaitTermination(closeGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
                senders.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (acks != null) {
            acks.close();
        }
    }
}
