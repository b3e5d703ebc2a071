package dev.hydrant.doppler.egress;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bytes each subscriber's buffer may hold: {@code perSubscriber}, or an equal share of the
 * doppler-wide {@code total} among the open subscriptions when that is less. So one subscriber alone
 * may buffer a long pause at a high rate, while many subscriptions together never hold more than
 * about {@code total}: when a subscription opens, every buffer is trimmed to its new, smaller share
 * (a delivery that read the old share just before holds one batch more, for a moment).
 */
final class ByteShares {

    private final long perSubscriber;
    private final long total;
    private final AtomicInteger holders = new AtomicInteger();

    ByteShares(long perSubscriber, long total) {
        if (perSubscriber < 1 || total < 1) {
            throw new IllegalArgumentException("byte bounds must be positive: " + perSubscriber + ", " + total);
        }
        this.perSubscriber = perSubscriber;
        this.total = total;
    }

    void join() {
        holders.incrementAndGet();
    }

    void leave() {
        holders.decrementAndGet();
    }

    /** The bytes one subscriber's buffer may hold now. */
    long share() {
        return Math.min(perSubscriber, total / Math.max(1, holders.get()));
    }
}
