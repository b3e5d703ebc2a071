package dev.hydrant.cli.output;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Puts envelopes that arrive slightly out of order (several Dopplers, several instances) back in
 * timestamp order before they are printed: each envelope is held for {@code window} after it arrived;
 * when it is released, so is every held envelope with an earlier or equal timestamp, in timestamp order.
 * So no envelope waits much longer than the window, and within it the output is sorted. One that
 * arrives later than the window behind its neighbours is printed at once, out of order.
 *
 * <p>Holds at most {@code capacity} envelopes: beyond that the earliest is printed at once (nothing is
 * dropped). Thread-safe; the sink is called under this window's lock, so lines never interleave.
 */
public final class OrderingWindow {

    private record Held(Envelope envelope, long arrivedNanos, long sequence) {
    }

    private static final Comparator<Held> BY_TIMESTAMP = Comparator
            .<Held>comparingLong(h -> h.envelope().getTimestamp())
            .thenComparingLong(Held::sequence);

    private final long windowNanos;
    private final int capacity;
    private final Consumer<List<Envelope>> sink;
    private final LongSupplier nanoClock;
    private final PriorityQueue<Held> byTimestamp = new PriorityQueue<>(BY_TIMESTAMP);
    private final ArrayDeque<Held> byArrival = new ArrayDeque<>();
    private long sequence;
    private long releasedUpTo = Long.MIN_VALUE;

    /**
     * @param windowNanos how long an envelope is held at most (before the next {@link #release})
     * @param capacity    envelopes held at most
     * @param sink        receives released envelopes in timestamp order
     * @param nanoClock   {@link System#nanoTime} outside tests
     */
    public OrderingWindow(long windowNanos, int capacity, Consumer<List<Envelope>> sink, LongSupplier nanoClock) {
        if (windowNanos < 0 || capacity < 1) {
            throw new IllegalArgumentException("window must not be negative and capacity must be positive");
        }
        this.windowNanos = windowNanos;
        this.capacity = capacity;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    public synchronized void addAll(List<Envelope> envelopes) {
        long now = nanoClock.getAsLong();
        List<Envelope> overflow = null;
        for (Envelope envelope : envelopes) {
            Held held = new Held(envelope, now, sequence++);
            byTimestamp.add(held);
            byArrival.add(held);
            if (byTimestamp.size() > capacity) {
                Held earliest = byTimestamp.poll();
                releasedUpTo = Math.max(releasedUpTo, earliest.envelope().getTimestamp());
                if (overflow == null) {
                    overflow = new ArrayList<>();
                }
                overflow.add(earliest.envelope());
            }
        }
        trimArrivals();
        if (overflow != null) {
            sink.accept(overflow);
        }
    }

    /** Releases what has been held for the window; call it often (every 50 ms or so). */
    public synchronized void release() {
        long cutoff = nanoClock.getAsLong() - windowNanos;
        while (!byArrival.isEmpty() && byArrival.peekFirst().arrivedNanos() - cutoff <= 0) {
            releasedUpTo = Math.max(releasedUpTo, byArrival.pollFirst().envelope().getTimestamp());
        }
        List<Envelope> due = new ArrayList<>();
        while (!byTimestamp.isEmpty() && byTimestamp.peek().envelope().getTimestamp() <= releasedUpTo) {
            due.add(byTimestamp.poll().envelope());
        }
        trimArrivals();
        if (!due.isEmpty()) {
            sink.accept(due);
        }
    }

    /** Releases everything held, in timestamp order (at the end of a stream). */
    public synchronized void flush() {
        List<Envelope> all = new ArrayList<>(byTimestamp.size());
        while (!byTimestamp.isEmpty()) {
            all.add(byTimestamp.poll().envelope());
        }
        byArrival.clear();
        if (!all.isEmpty()) {
            sink.accept(all);
        }
    }

    public synchronized int held() {
        return byTimestamp.size();
    }

    /** Keeps the arrival queue no longer than twice the capacity (entries already released leave it lazily). */
    private void trimArrivals() {
        if (byTimestamp.isEmpty()) {
            byArrival.clear();
        }
        while (byArrival.size() > 2 * capacity) {
            releasedUpTo = Math.max(releasedUpTo, byArrival.pollFirst().envelope().getTimestamp());
        }
    }
}
