package dev.hydrant.metron.egress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sender thread with one {@code BatchSender} stream to one Doppler at a time; it decides when
 * a stream ends and when the worker stops, and leaves filling batches to its {@link BatchFiller}.
 * It has a batch filled only while its stream is ready, so load spreads over the Dopplers that
 * keep up and a dead one is simply left: while its Doppler is unreachable a worker retries with
 * exponential backoff and takes nothing from the buffer. A batch it had in hand when its stream broke goes
 * back into the buffer as soon as another stream of the pool is established, for that one to carry, rather
 * than wait for this Doppler (with no other stream it waits, in order, for this one).
 *
 * <p>Every stream is closed and replaced after {@link EgressSettings#streamMaxAge()} or
 * {@link EgressSettings#streamMaxEnvelopes()}, so that the Doppler's response confirms what it
 * carried; see {@link BatchStream} for how the envelopes of a broken stream are counted. On
 * {@link #stop} it keeps sending what is buffered for the flush time, then waits for the
 * confirmation of its closed streams until the settle time, then gives them up (counted as dropped).
 */
final class StreamWorker {

    private static final Logger log = LoggerFactory.getLogger(StreamWorker.class);

    /** Bytes queued on a stream before it stops taking batches (gRPC's default is 32 KiB). */
    private static final int ON_READY_THRESHOLD_BYTES = 256 * 1024;

    private final ManagedChannel channel;
    private final CallOptions options;
    private final BatchFiller filler;
    private final EgressSettings settings;
    private final Counter egress;
    private final Counter dropped;
    private final Backoff backoff;
    private final BooleanSupplier othersConnected;
    private final Object signal = new Object();
    private final Thread thread;
    private final List<BatchStream> unsettled = new ArrayList<>();

    private volatile boolean stopping;
    private volatile long drainUntilNanos;
    private volatile long settleUntilNanos;
    private volatile boolean connected;

    /**
     * @param turn            shared by all workers of the pool, fair: workers take batches from the buffer in
     *                        turn, so that batches are spread over the Dopplers rather than taken by whoever is fastest
     * @param othersConnected whether another stream of the pool is established now
     */
    StreamWorker(String name, ManagedChannel channel, DropOldestBuffer<EncodedEnvelope> buffer, EgressSettings settings,
                 Counter egress, Counter dropped, Lock turn, Departures departures, BooleanSupplier othersConnected) {
        this.channel = channel;
        // A stream reports "not ready" once this much is queued unsent: enough for a few full
        // batches in flight, so a worker does not stall on every batch, yet still bounded.
        this.options = CallOptions.DEFAULT.withOnReadyThreshold(ON_READY_THRESHOLD_BYTES);
        this.filler = new BatchFiller(buffer, settings.batchSize(), turn, departures);
        this.settings = settings;
        this.egress = egress;
        this.dropped = dropped;
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        this.othersConnected = othersConnected;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Envelopes taken from the buffer for the batch being filled, not yet written. */
    int holding() {
        return filler.holding();
    }

    /** Whether this worker's stream is established now. */
    boolean connected() {
        return connected;
    }

    /**
     * Asks the worker to stop: it keeps sending what is buffered for at most {@code flushNanos},
     * closes its stream, and waits until {@code settleNanos} from now for the Doppler's
     * confirmation of what it sent (what is not confirmed by then is counted as dropped).
     */
    void stop(long flushNanos, long settleNanos) {
        long now = System.nanoTime();
        drainUntilNanos = now + flushNanos;
        settleUntilNanos = now + Math.max(flushNanos, settleNanos);
        stopping = true;
        wake();
    }

    /** Waits for the worker thread to end. */
    boolean join(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        while (!stopping || flushing()) {
            try {
                forward();
            } catch (RuntimeException e) {
                // never expected; the worker must outlive it or its Doppler would be left for good
                log.warn("{}: unexpected failure, retrying", thread.getName(), e);
                connected = false;
                pause(backoff.nextNanos());
            }
        }
        connected = false;
        filler.giveBack(); // taken but not written: back to the buffer, for the other workers
        awaitSettled();
    }

    /** One stream: opened, written until rotation or failure, and after a failure the backoff wait. */
    private void forward() {
        BatchStream stream = BatchStream.open(channel, options,
                settings.streamMaxAge().plus(settings.responseTimeout()).toNanos(), egress, dropped, this::wake, backoff);
        unsettled.add(stream);
        boolean broken = !carry(stream);
        unsettled.removeIf(BatchStream::isDone);
        if (broken) {
            connected = false;
            if (stopping) {
                drainUntilNanos = System.nanoTime(); // no Doppler to flush to
                return;
            }
            if (othersConnected.getAsBoolean()) {
                filler.giveBack(); // another stream carries it now; this one waits for its Doppler with nothing in hand
            }
            pause(backoff.nextNanos());
            if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                // our own backoff decides when to try again, not the channel's (which grows to minutes)
                channel.resetConnectBackoff();
            }
        }
    }

    /** Writes batches into the stream until it is due for rotation; false if it broke. */
    private boolean carry(BatchStream stream) {
        long openedAt = System.nanoTime();
        long rotateAt = openedAt + settings.streamMaxAge().toNanos();
        long interval = settings.batchInterval().toNanos();
        while (true) {
            if (!awaitReady(stream, rotateAt)) {
                if (stream.failed()) {
                    return false;
                }
                stream.complete(); // not writable within its age (slow Doppler): replace it
                return true;
            }
            connected = true;
            try {
                filler.fill(Math.min(System.nanoTime() + interval, rotateAt), () -> stopping, stream::isDone);
            } catch (InterruptedException e) {
                interrupted();
            }
            if (stream.isDone()) {
                // the batch in hand was not written: it goes out on the next stream
                return !stream.failed();
            }
            if (!filler.isEmpty()) {
                stream.send(filler.batch(), filler.ranges());
                filler.sent();
            }
            if (stream.carried() >= settings.streamMaxEnvelopes() || System.nanoTime() >= rotateAt
                    || (stopping && !flushing())) {
                stream.complete();
                return true;
            }
        }
    }

    private boolean awaitReady(BatchStream stream, long untilNanos) {
        synchronized (signal) {
            while (!stream.isReady() && !stream.isDone()) {
                long remaining = untilNanos - System.nanoTime();
                if (remaining <= 0 || (stopping && !flushing())) {
                    return false;
                }
                waitOnSignal(remaining);
            }
            return !stream.isDone();
        }
    }

    private void pause(long nanos) {
        long until = System.nanoTime() + nanos;
        synchronized (signal) {
            long remaining;
            while (!stopping && (remaining = until - System.nanoTime()) > 0) {
                waitOnSignal(remaining);
            }
        }
    }

    /** Closed streams wait for their confirmation until the grace ends; then they are given up (counted). */
    private void awaitSettled() {
        synchronized (signal) {
            long remaining;
            while (unsettled.stream().anyMatch(s -> !s.isDone()) && (remaining = settleUntilNanos - System.nanoTime()) > 0) {
                waitOnSignal(remaining);
            }
        }
        for (BatchStream stream : unsettled) {
            if (!stream.isDone()) {
                stream.cancel("metron is shutting down");
            }
        }
        unsettled.clear();
    }

    /** While stopping: whether there is still something to send and time to send it. */
    private boolean flushing() {
        return filler.anythingWaiting() && System.nanoTime() < drainUntilNanos;
    }

    private void waitOnSignal(long nanos) {
        try {
            signal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            interrupted();
        }
    }

    private void interrupted() {
        Thread.currentThread().interrupt();
        if (!stopping) {
            drainUntilNanos = System.nanoTime();
            settleUntilNanos = drainUntilNanos;
            stopping = true;
        }
    }
}
