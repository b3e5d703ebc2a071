package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.nozzles.splunk.format.Chunk;
import dev.hydrant.nozzles.splunk.format.HecEncoder;
import dev.hydrant.nozzles.splunk.hec.HecMetrics.Rejected;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * them to {@code maxInFlight} sender threads (the SDK's writer waits while that many are in flight). It
 * retries itself ({@link HecSender}: it knows 429's {@code Retry-After}, which statuses are worth a retry and
 * which parts of a split batch went through). Two modes:
 * <ul>
 *   <li>firehose: {@link #write} returns once the requests are handed over, so that encoding the next batch
 *       overlaps the HEC's answer to the last, and never throws: what happened to each event is in
 *       {@link HecMetrics}, {@code nozzle.written = splunk.events.sent + splunk.events.rejected + in flight or
 *       awaiting acknowledgement};</li>
 *   <li>replayable source (Kafka, whose offsets the SDK commits once {@code write} returns): {@code write}
 *       returns only once every request of the batch is answered (and acknowledged, with acknowledgement),
 *       and throws when any is not taken (retries exhausted, token or TLS refused, not acknowledged), so the
 *       SDK writes the batch again later: only its requests not completed are sent again (see
 *       {@link BatchAttempt}, also for the counting).</li>
 * </ul>
 */
public final class HecSink implements NozzleSink, AutoCloseable {

    private final HecEncoder encoder;
    private final HecSender sender;
    private final HecMetrics metrics;
    private final AckTracker acks;
    private final Semaphore inFlight;
    private final ExecutorService senders;
    private final Duration closeGrace;
    private final boolean replayable;
    private volatile BatchAttempt failed;

    /**
     * @param acks        the acknowledgement tracker, or null without acknowledgement
     * @param maxInFlight requests sent at once at most
     * @param closeGrace  how long {@link #close()} waits for the requests in flight
     * @param replayable  the source replays what is not written (Kafka): settle each batch, throw when not taken
     */
    public HecSink(HecEncoder encoder, HecSender sender, HecMetrics metrics, AckTracker acks, int maxInFlight,
                   Duration closeGrace, boolean replayable) {
        this.encoder = encoder;
        this.sender = sender;
        this.metrics = metrics;
        this.acks = acks;
        this.inFlight = new Semaphore(maxInFlight);
        this.closeGrace = closeGrace;
        this.replayable = replayable;
        AtomicInteger number = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(maxInFlight, r -> {
            Thread thread = new Thread(r, "splunk-sender-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void write(List<Envelope> batch) throws IOException, InterruptedException {
        HecEncoder.Encoded encoded = encoder.encode(batch);
        List<Chunk> chunks = encoded.chunks();
        if (!replayable) {
            metrics.rejected(Rejected.INVALID, encoded.skipped());
            dispatch(chunks, Collections.nCopies(chunks.size(), metrics));
            return;
        }
        BatchAttempt attempt = new BatchAttempt(metrics, batch, chunks, encoded.skipped(), failed);
        failed = null;
        List<Chunk> sending = new ArrayList<>();
        List<Tally> tallies = new ArrayList<>();
        for (int index : attempt.toSend()) {
            sending.add(chunks.get(index));
            tallies.add(attempt.request(index));
        }
        dispatch(sending, tallies);
        try {
            attempt.await();
        } catch (IOException e) {
            failed = attempt; // what it completed is not sent again when the SDK writes the batch again
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private void dispatch(List<Chunk> chunks, List<Tally> tallies) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            Tally tally = tallies.get(i);
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                for (int j = i; j < chunks.size(); j++) {
                    tallies.get(j).rejected(Rejected.SHUTDOWN, chunks.get(j).events());
                    tallies.get(j).requestDone();
                }
                return;
            }
            try {
                senders.execute(() -> send(chunk, tally));
            } catch (RejectedExecutionException closed) {
                inFlight.release();
                tally.rejected(Rejected.SHUTDOWN, chunk.events());
                tally.requestDone();
            }
        }
    }

    private void send(Chunk chunk, Tally tally) {
        boolean awaitingAck = false;
        try {
            Chunk ready = chunk.compressed();
            long ackId = sender.send(ready, acks != null, tally);
            if (ackId >= 0) {
                awaitingAck = true;
                acks.await(ackId, ready, tally);
            }
        } finally {
            inFlight.release();
            if (!awaitingAck) {
                tally.requestDone();
            }
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
        if (failed != null) {
            failed.abandon();
        }
    }
}
