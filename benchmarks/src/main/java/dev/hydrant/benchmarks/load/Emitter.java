package dev.hydrant.benchmarks.load;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;

/**
 * One emitter: a single {@code Ingress.BatchSender} stream that sends numbered log envelopes in
 * batches, either paced (a fixed total spread evenly over the run: every tick, everything due
 * goes out in batches of at most {@code batchSize}) or flat out until the time is up. It honours gRPC flow control: it builds and stamps a
 * batch only when the stream is ready, so the harness's own waiting is not counted as latency. Batches are
 * encoded once and re-stamped ({@link EncodedBatches}), so that the emitter costs little more than a copy.
 * It counts what it stamped before the end of the run's first window apart.
 */
final class Emitter implements Runnable {

    private final int index;
    private final ManagedChannel channel;
    private final HarnessClock clock;
    private final EncodedBatches batches;
    private final FirstWindow firstWindow;
    private final long total;
    private final int batchSize;
    private final long tickNanos;
    private final long durationNanos;

    /** How long after its time a paced emitter may still be catching up before it gives up. */
    private static final long LATE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final CountDownLatch finished = new CountDownLatch(1);

    private volatile long sent;
    private volatile long sentInFirstWindow;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile Throwable failure;

    /** An emitter that counts no first window. */
    Emitter(int index, ManagedChannel channel, HarnessClock clock, LoadEnvelopes envelopes,
            long total, int batchSize, long tickMillis, long seconds) {
        this(index, channel, clock, envelopes, total, batchSize, tickMillis, seconds, null);
    }

    /**
     * @param total how many envelopes to send, spread evenly over {@code seconds}; negative
     *              sends flat out until the time is up
     * @param firstWindow the run's first window, started by the first batch of any emitter, or null
     */
    Emitter(int index, ManagedChannel channel, HarnessClock clock, LoadEnvelopes envelopes,
            long total, int batchSize, long tickMillis, long seconds, FirstWindow firstWindow) {
        this.index = index;
        this.channel = channel;
        this.clock = clock;
        this.batches = new EncodedBatches(envelopes, index, batchSize);
        this.firstWindow = firstWindow;
        this.total = total;
        this.batchSize = batchSize;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.durationNanos = TimeUnit.SECONDS.toNanos(seconds);
    }

    @Override
    public void run() {
        ResponseObserver response = new ResponseObserver();
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<byte[]> stream = (ClientCallStreamObserver<byte[]>) ClientCalls
                .asyncClientStreamingCall(channel.newCall(EncodedBatches.BATCH_SENDER, CallOptions.DEFAULT), response);
        startNanos = System.nanoTime();
        long deadline = startNanos + durationNanos;
        // a paced emitter sends its whole total even if flow control held it back for a while
        long giveUp = total < 0 ? deadline : deadline + LATE_LIMIT_NANOS;
        long sequence = 0;
        long inFirstWindow = 0;
        try {
            while (failure == null) {
                long now = System.nanoTime();
                long due;
                if (total < 0) {
                    if (now >= deadline) {
                        break;
                    }
                    due = sequence + batchSize;
                } else {
                    if (sequence >= total) {
                        break;
                    }
                    due = now >= deadline ? total
                            : Math.min(total, (long) ((double) (now - startNanos) / durationNanos * total));
                }
                while (sequence < due && failure == null) {
                    if (!awaitReady(stream, giveUp)) {
                        if (total < 0) {
                            break; // flat out: the time is up while flow control held the stream back
                        }
                        throw new IllegalStateException("the stream was not ready to send for "
                                + TimeUnit.NANOSECONDS.toSeconds(LATE_LIMIT_NANOS) + " s after the run's end");
                    }
                    int count = (int) Math.min(batchSize, due - sequence);
                    long stamp = clock.nowEpochNanos();
                    if (firstWindow != null) {
                        firstWindow.sending(stamp);
                    }
                    stream.onNext(batches.batch(sequence, count, stamp));
                    if (firstWindow != null && firstWindow.contains(stamp)) {
                        inFirstWindow += count;
                        sentInFirstWindow = inFirstWindow;
                    }
                    sequence += count;
                    sent = sequence;
                }
                if (total >= 0 && sequence < total) {
                    long nextTick = now + tickNanos - (now - startNanos) % tickNanos;
                    LockSupport.parkNanos(Math.min(nextTick, deadline) - System.nanoTime());
                }
            }
            endNanos = System.nanoTime();
            if (failure == null) {
                stream.onCompleted();
            }
        } catch (RuntimeException e) {
            failure = e;
            stream.cancel("emitter failed", e);
        } finally {
            if (endNanos == 0) {
                endNanos = System.nanoTime();
            }
        }
    }

    private boolean awaitReady(ClientCallStreamObserver<byte[]> stream, long deadline) {
        if (stream.isReady()) {
            return true;
        }
        lock.lock();
        try {
            while (!stream.isReady() && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                ready.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
            return failure == null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void signalReady() {
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the server to answer the closed stream; false if it did not in time. */
    boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    ManagedChannel channel() {
        return channel;
    }

    int index() {
        return index;
    }

    long sent() {
        return sent;
    }

    /** Envelopes stamped in the first window. */
    long sentInFirstWindow() {
        return sentInFirstWindow;
    }

    long startNanos() {
        return startNanos;
    }

    long endNanos() {
        return endNanos;
    }

    Throwable failure() {
        return failure;
    }

    private final class ResponseObserver implements ClientResponseObserver<byte[], BatchSenderResponse> {

        @Override
        public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
            requestStream.setOnReadyHandler(Emitter.this::signalReady);
        }

        @Override
        public void onNext(BatchSenderResponse value) {
            // the response is empty
        }

        @Override
        public void onError(Throwable t) {
            if (failure == null) {
                failure = t;
            }
            signalReady();
            finished.countDown();
        }

        @Override
        public void onCompleted() {
            finished.countDown();
        }
    }
}
