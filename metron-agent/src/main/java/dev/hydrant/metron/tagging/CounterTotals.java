package dev.hydrant.metron.tagging;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The running totals of counters, per (source id, counter name): emitters send deltas and the
 * agent keeps the total (docs/wire.md section 1).
 *
 * <p>Memory is bounded by configuration, never by load: once more than {@code limit} counters
 * are known, the map is cleared and the reset is reported, so totals restart from the next
 * delta. Concurrent ingress threads update it without a shared lock.
 */
public final class CounterTotals {

    private final ConcurrentHashMap<Key, Long> totals = new ConcurrentHashMap<>();
    private final int limit;
    private final LongConsumer onReset;

    /**
     * @param limit   how many (source id, name) pairs are remembered at most
     * @param onReset told (with 1) every time the map is cleared because it was full
     */
    public CounterTotals(int limit, LongConsumer onReset) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.onReset = Objects.requireNonNull(onReset, "onReset");
    }

    /**
     * Adds {@code delta} to the total of the counter and returns the new total. When an emitter
     * sends no delta but a total of its own, that total is kept and remembered instead.
     */
    public long apply(String sourceId, String name, long delta, long emitterTotal) {
        Key key = new Key(sourceId, name);
        boundSize();
        if (delta == 0 && emitterTotal != 0) {
            totals.put(key, emitterTotal);
            return emitterTotal;
        }
        return totals.merge(key, delta, Long::sum);
    }

    /** Counters remembered now. */
    public int size() {
        return totals.size();
    }

    private void boundSize() {
        if (totals.size() >= limit) {
            totals.clear();
            onReset.accept(1);
        }
    }

    private record Key(String sourceId, String name) {
    }
}
