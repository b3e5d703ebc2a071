package dev.hydrant.standalone.shipper;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;

/**
 * Takes batches from the shipper's buffer (up to the batch size, or whatever arrived within the batch
 * interval) and sends each to Metron with {@code loggregator.v2.Ingress/Send}. A batch Metron did not
 * accept is tried again, with a growing pause, until it is accepted or the shipper stops; meanwhile
 * new lines wait in the buffer, which drops its oldest when full. When lines were dropped, the next
 * batch carries a notice to the app's own log saying how many.
 */
final class MetronSender implements Runnable {

    private static final Duration SEND_DEADLINE = Duration.ofSeconds(5);
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long MAX_PAUSE_MILLIS = 2_000;

    private final IngressGrpc.IngressBlockingStub ingress;
    private final DropOldestBuffer<Envelope> buffer;
    private final AppInstance app;
    private final int batchSize;
    private final Duration batchInterval;
    private final Clock clock;
    /** Lines Metron accepted. */
    private final AtomicLong sent = new AtomicLong();
    /** Lines given up on at the end: still buffered, or in a batch Metron never accepted. */
    private final AtomicLong unsent = new AtomicLong();
    private volatile Instant stopBy;
    private long droppedReported;

    MetronSender(Channel channel, DropOldestBuffer<Envelope> buffer, AppInstance app, int batchSize,
                 Duration batchInterval, Clock clock) {
        this.ingress = IngressGrpc.newBlockingStub(Objects.requireNonNull(channel, "channel"));
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.app = Objects.requireNonNull(app, "app");
        this.batchSize = batchSize;
        this.batchInterval = Objects.requireNonNull(batchInterval, "batchInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sends what is buffered until the buffer is empty or {@code deadline} has passed, then returns from {@link #run}. */
    void finishBy(Instant deadline) {
        stopBy = Objects.requireNonNull(deadline, "deadline");
    }

    long sent() {
        return sent.get();
    }

    long unsent() {
        return unsent.get();
    }

    @Override
    public void run() {
        List<Envelope> batch = new ArrayList<>(batchSize + 1);
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            Instant deadline = stopBy;
            if (deadline != null && (clock.instant().isAfter(deadline) || (batch.isEmpty() && buffer.size() == 0))) {
                break;
            }
            if (batch.isEmpty()) {
                try {
                    buffer.drainTo(batch, batchSize, batchInterval.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                addLossNotice(batch);
                if (batch.isEmpty()) {
                    continue;
                }
            }
            if (send(batch)) {
                sent.addAndGet(batch.stream().filter(MetronSender::isAppLine).count());
                batch.clear();
                pause = FIRST_PAUSE_MILLIS;
            } else if (!sleep(pause)) {
                break;
            } else {
                pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            }
        }
        unsent.addAndGet(batch.stream().filter(MetronSender::isAppLine).count() + buffer.size());
    }

    private boolean send(List<Envelope> batch) {
        try {
            ingress.withDeadlineAfter(SEND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .send(EnvelopeBatch.newBuilder().addAllBatch(batch).build());
            return true;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    private void addLossNotice(List<Envelope> batch) {
        long dropped = buffer.dropped();
        if (dropped > droppedReported) {
            Instant now = clock.instant();
            batch.add(app.notice((dropped - droppedReported) + " log lines of " + app.sourceId()
                    + " were dropped by the log shipper: they came faster than Metron took them",
                    now.getEpochSecond() * 1_000_000_000L + now.getNano()));
            droppedReported = dropped;
        }
    }

    /** A line of the app: not the shipper's own notice, nor a container metric. */
    private static boolean isAppLine(Envelope envelope) {
        return envelope.hasLog()
                && !AppInstance.LOGGREGATOR_SOURCE_TYPE.equals(envelope.getTagsOrDefault("source_type", ""));
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
