package dev.hydrant.metron.egress;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which envelopes have left the agent, in the order they entered it: {@link #settled()} is the number below
 * which every envelope offered to the agent's buffer (numbered from 0 in offer order, see
 * {@link DropOldestBuffer#removed()}) has been confirmed by a Doppler or counted as dropped. The file tailer
 * checkpoints a line only once it is below that, so a crash loses no line it has checkpointed.
 *
 * <p>An envelope leaves the buffer dropped (settled at once) or taken into a batch; each take is a
 * {@link Range} of numbers, registered under the buffer's lock ({@link #taken}) in the order of the numbers,
 * and settled when the stream that carried its batch ends: confirmed or failed, both counted. A batch taken but
 * not written and put back into the buffer ({@link Range#givenBack}) is settled once its envelopes, offered
 * again under new (higher) numbers, have settled under those. So the number
 * stays behind a batch still in flight on one stream however many newer ones other streams have confirmed,
 * and behind it however many newer envelopes the buffer dropped.
 *
 * <p>No work per envelope: one range per take, a lock per take and per look. The ranges held are bounded by
 * {@link #MAX_RANGES} (reached only while one batch stays unsettled long, say its Doppler is unreachable): beyond
 * it a take joins the newest range, which then settles with its last take.
 */
public final class Departures {

    /** Ranges held at most; more join the newest. */
    static final int MAX_RANGES = 8192;

    private final DropOldestBuffer<?> buffer;
    /** Ranges taken and not known to be settled, in the order of their numbers; guarded by this. */
    private final ArrayDeque<Range> out = new ArrayDeque<>();

    public Departures(DropOldestBuffer<?> buffer) {
        this.buffer = Objects.requireNonNull(buffer, "buffer");
    }

    /**
     * The number below which every envelope offered to the buffer has left the agent: confirmed by a Doppler or
     * counted as dropped. Looks at every range held (a few per stream in flight).
     */
    public long settled() {
        long removed = buffer.removed(); // a take after this read has numbers from here on
        synchronized (this) {
            // from the newest down: the first number not settled above each range decides a given-back one
            long next = removed;
            for (Iterator<Range> ranges = out.descendingIterator(); ranges.hasNext(); ) {
                Range range = ranges.next();
                if (!range.isSettled(next)) {
                    next = Math.min(next, range.from);
                }
            }
            while (!out.isEmpty() && out.peekFirst().to <= next) {
                out.pollFirst();
            }
            return next;
        }
    }

    /**
     * Registers the take of the envelopes numbered {@code first} on: called under the buffer's lock (so takes
     * come in the order of their numbers, and {@link #settled()} never sees a take's envelopes out of the buffer
     * and not yet here). The range returned is settled by whoever ends up with the batch.
     */
    Range taken(long first, int count) {
        synchronized (this) {
            while (!out.isEmpty() && out.peekFirst().isSettled(Long.MIN_VALUE)) {
                out.pollFirst(); // settled, and not waiting for envelopes given back
            }
            Range newest = out.peekLast();
            if (out.size() >= MAX_RANGES) {
                newest.join(first + count); // had it settled, it stands again: that only holds the number back longer
                return newest;
            }
            Range range = new Range(first, first + count);
            out.addLast(range);
            return range;
        }
    }

    /** Settles every range of {@code ranges}: their envelopes were confirmed or counted as dropped. */
    static void settle(List<Range> ranges) {
        for (int i = 0, n = ranges.size(); i < n; i++) {
            ranges.get(i).settle();
        }
    }

    /**
     * The envelopes of one or more takes, numbered from {@code from} to before {@code to}, waiting in a batch or on
     * a stream. Settled when each of its takes is settled: confirmed, dropped, or given back and its envelopes,
     * under their new (higher) numbers, settled.
     */
    static final class Range {

        private final long from;
        /** Guarded by the {@link Departures}. */
        private long to;
        /** Takes not yet settled. */
        private final AtomicInteger pending = new AtomicInteger(1);
        /** The buffer's offer count after the latest give-back: every number up to it must settle first. */
        private final AtomicLong backUntil = new AtomicLong(Long.MIN_VALUE);

        private Range(long from, long to) {
            this.from = from;
            this.to = to;
        }

        /** Adds a take, up to {@code end}, to this range. */
        private void join(long end) {
            to = end;
            pending.incrementAndGet();
        }

        /** One take of this range has left the agent, confirmed or counted as dropped. */
        void settle() {
            pending.decrementAndGet();
        }

        /**
         * One take of this range was put back into the buffer, which has been offered {@code offered} entries
         * since: the take is settled when every number above this range and below that is.
         */
        void givenBack(long offered) {
            backUntil.accumulateAndGet(offered, Math::max); // before the count goes down
            pending.decrementAndGet();
        }

        /** Whether settled, {@code above} being the first number not settled above this range. */
        private boolean isSettled(long above) {
            return pending.get() == 0 && above >= backUntil.get();
        }
    }
}
