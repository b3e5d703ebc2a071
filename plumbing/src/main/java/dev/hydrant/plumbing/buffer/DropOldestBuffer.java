package dev.hydrant.plumbing.buffer;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A bounded buffer that never blocks its producers: when it is full, the oldest entry makes
 * room for the newest and the loss is reported to the drop listener.
 *
 * <p>Producers and consumers work in batches so that the lock is taken once per batch, not
 * once per envelope. Memory is bounded by {@code capacity}, never by load, and, when the buffer is
 * given a weigher, by {@code maxBytes} of entries as well: the oldest go until the entries held weigh
 * at most that (the newest entry is always kept, however big).
 *
 * @param <T> the entry type
 */
public final class DropOldestBuffer<T> {

    private final Object[] ring;
    private final int[] weights;
    private final ToIntFunction<? super T> weigher;
    private final long maxBytes;
    private final LongConsumer onDrop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    private int head;
    private int size;
    private long bytes;
    private int waiters;
    private long offered;
    private long droppedTotal;

    /**
     * @param capacity how many entries the buffer holds at most
     * @param onDrop told how many entries were dropped, every time some are; called under the
     *               buffer's lock, so it must be quick and must not call back into the buffer
     */
    public DropOldestBuffer(int capacity, LongConsumer onDrop) {
        this(capacity, Long.MAX_VALUE, null, onDrop);
    }

    /**
     * @param capacity how many entries the buffer holds at most
     * @param maxBytes how much the entries held may weigh at most, at least 1
     * @param weigher  an entry's weight (its size in bytes); must not change while the entry is held;
     *                 null when only {@code capacity} bounds the buffer
     * @param onDrop   as in {@link #DropOldestBuffer(int, LongConsumer)}
     */
    public DropOldestBuffer(int capacity, long maxBytes, ToIntFunction<? super T> weigher, LongConsumer onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        this.ring = new Object[capacity];
        this.weights = weigher == null ? null : new int[capacity];
        this.weigher = weigher;
        this.maxBytes = maxBytes;
        this.onDrop = Objects.requireNonNull(onDrop, "onDrop");
    }

    /** Adds one entry, dropping the oldest if full. Returns whether the buffer was empty before. */
    public boolean offer(T entry) {
        Objects.requireNonNull(entry, "entry");
        lock.lock();
        try {
            boolean wasEmpty = size == 0;
            long dropped = put(entry);
            offered++;
            finishOffer(dropped);
            return wasEmpty;
        } finally {
            lock.unlock();
        }
    }

    /** Adds all entries in order, dropping the oldest as needed. Returns whether the buffer was empty before. */
    public boolean offerAll(List<? extends T> entries) {
        if (entries.isEmpty()) {
            return false;
        }
        lock.lock();
        try {
            boolean wasEmpty = size == 0;
            long dropped = 0;
            for (int i = 0, n = entries.size(); i < n; i++) {
                dropped += put(entries.get(i));
            }
            offered += entries.size();
            finishOffer(dropped);
            return wasEmpty;
        } finally {
            lock.unlock();
        }
    }

    private long put(T entry) {
        int capacity = ring.length;
        long dropped = 0;
        if (size == capacity) {
            dropOldest();
            dropped++;
        }
        int slot = (head + size) % capacity;
        ring[slot] = entry;
        size++;
        if (weights != null) {
            int weight = weigher.applyAsInt(entry);
            weights[slot] = weight;
            bytes += weight;
            while (bytes > maxBytes && size > 1) {
                dropOldest();
                dropped++;
            }
        }
        return dropped;
    }

    private void dropOldest() {
        ring[head] = null;
        if (weights != null) {
            bytes -= weights[head];
        }
        head = (head + 1) % ring.length;
        size--;
    }

    private void finishOffer(long dropped) {
        if (dropped > 0) {
            droppedTotal += dropped;
            onDrop.accept(dropped);
        }
        if (waiters > 0) {
            notEmpty.signal();
        }
    }

    /** Moves up to {@code max} of the oldest entries into {@code sink} without waiting. */
    public int drainTo(Collection<? super T> sink, int max) {
        return drainTo(sink, max, null);
    }

    /**
     * Moves up to {@code max} of the oldest entries into {@code sink} without waiting, stopping at
     * the first entry that {@code admit} refuses, which stays the oldest (a {@link BatchBytes}
     * bounds a batch in bytes this way). {@code admit} is asked in order under the buffer's lock,
     * so it must be quick; null admits everything.
     */
    public int drainTo(Collection<? super T> sink, int max, Predicate<? super T> admit) {
        lock.lock();
        try {
            return take(sink, max, admit);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code max} entries are buffered or {@code timeout} has passed, whichever comes
     * first, then moves up to {@code max} of the oldest entries into {@code sink}: batching by
     * size or by time.
     */
    public int drainTo(Collection<? super T> sink, int max, long timeout, TimeUnit unit)
            throws InterruptedException {
        return drainTo(sink, max, null, timeout, unit);
    }

    /**
     * As {@link #drainTo(Collection, int, long, TimeUnit)}, but what it moves stops at the first
     * entry that {@code admit} refuses, as in {@link #drainTo(Collection, int, Predicate)}. The wait
     * is for {@code max} entries, whatever {@code admit} would say of them.
     */
    public int drainTo(Collection<? super T> sink, int max, Predicate<? super T> admit, long timeout, TimeUnit unit)
            throws InterruptedException {
        return drainTo(sink, max, admit, timeout, unit, null);
    }

    /**
     * As {@link #drainTo(Collection, int, Predicate, long, TimeUnit)}, and tells {@code drained}, under the
     * buffer's lock, which entries it moved (when it moved any), by their numbers: entries are numbered from 0
     * in the order they are offered, and leave the buffer, taken or dropped, in that order
     * (see {@link #removed()}). Null tells nobody.
     */
    public int drainTo(Collection<? super T> sink, int max, Predicate<? super T> admit, long timeout, TimeUnit unit,
                       Drained drained) throws InterruptedException {
        long remaining = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            waiters++;
            try {
                while (size < max && remaining > 0) {
                    remaining = notEmpty.awaitNanos(remaining);
                }
            } finally {
                waiters--;
            }
            long first = offered - size;
            int taken = take(sink, max, admit);
            if (taken > 0 && drained != null) {
                drained.drained(first, taken);
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Told which entries a drain moved out of the buffer. */
    @FunctionalInterface
    public interface Drained {

        /**
         * {@code count} entries, numbered {@code first} to {@code first + count - 1}, were moved out. Called under
         * the buffer's lock: it must be quick and must not call back into the buffer.
         */
        void drained(long first, int count);
    }

    @SuppressWarnings("unchecked")
    private int take(Collection<? super T> sink, int max, Predicate<? super T> admit) {
        int n = Math.min(max, size);
        int capacity = ring.length;
        int taken = 0;
        while (taken < n) {
            T entry = (T) ring[head];
            if (admit != null && !admit.test(entry)) {
                break;
            }
            sink.add(entry);
            ring[head] = null;
            if (weights != null) {
                bytes -= weights[head];
            }
            head = (head + 1) % capacity;
            taken++;
        }
        size -= taken;
        return taken;
    }

    /** Entries held now. */
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return ring.length;
    }

    /** The weight of the entries held now (0 when the buffer has no weigher). */
    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** The most the entries held may weigh ({@link Long#MAX_VALUE} when the buffer has no weigher). */
    public long maxBytes() {
        return maxBytes;
    }

    /** Entries ever offered, dropped or not. */
    public long offered() {
        lock.lock();
        try {
            return offered;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Entries that have left the buffer, taken or dropped: as entries leave in the order they were offered, every
     * entry numbered below this (from 0, in offer order) has left, and every one numbered from it on is held.
     */
    public long removed() {
        lock.lock();
        try {
            return offered - size;
        } finally {
            lock.unlock();
        }
    }

    /** Entries ever dropped by this buffer. */
    public long dropped() {
        lock.lock();
        try {
            return droppedTotal;
        } finally {
            lock.unlock();
        }
    }
}
