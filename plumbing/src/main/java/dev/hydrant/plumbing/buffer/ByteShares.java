package dev.hydrant.plumbing.buffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bytes each of many buffers (a Doppler's subscribers, a Traffic Controller's clients) may hold:
 * {@code perHolder}, or an equal share of the process-wide {@code total} among the holders open now
 * when that is less. So one holder alone may buffer a long pause at a high rate, while many together
 * never hold more than about {@code total}: when a holder {@link #join() joins}, its owner trims every
 * buffer to its new, smaller share ({@link ShareBoundBuffer#trimToShare()}; a delivery that read the
 * old share just before holds one batch more, for a moment).
 */
public final class ByteShares {

    private final long perHolder;
    private final long total;
    private final AtomicInteger holders = new AtomicInteger();

    /**
     * @param perHolder the bytes one buffer may hold at most, however few the holders
     * @param total     the bytes all buffers together may hold, shared equally
     */
    public ByteShares(long perHolder, long total) {
        if (perHolder < 1 || total < 1) {
            throw new IllegalArgumentException("byte bounds must be positive: " + perHolder + ", " + total);
        }
        this.perHolder = perHolder;
        this.total = total;
    }

    /** One more buffer shares the total. */
    public void join() {
        holders.incrementAndGet();
    }

    /** One buffer fewer shares the total. */
    public void leave() {
        holders.decrementAndGet();
    }

    /** The bytes one buffer may hold now. */
    public long share() {
        return Math.min(perHolder, total / Math.max(1, holders.get()));
    }

    /** The buffers sharing the total now. */
    public int holders() {
        return holders.get();
    }

    /** The bytes all buffers together may hold. */
    public long total() {
        return total;
    }
}
