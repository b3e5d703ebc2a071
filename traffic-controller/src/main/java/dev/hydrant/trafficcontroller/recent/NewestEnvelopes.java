package dev.hydrant.trafficcontroller.recent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The newest envelopes of one read, kept as the Dopplers' pieces arrive (from any thread): at
 * most {@code limit} of them and at most {@code maxBytes} of serialized envelopes together, the
 * oldest let go first; the newest one stays whatever its size. What it holds is always the newest
 * run of what it was given, so the order in which Dopplers and pieces arrive does not matter.
 * Once {@linkplain #take taken}, later pieces (of a Doppler abandoned at the deadline) are ignored.
 */
final class NewestEnvelopes {

    private final int limit;
    private final long maxBytes;
    private final PriorityQueue<Envelope> oldestFirst = new PriorityQueue<>(
            Comparator.comparingLong(Envelope::getTimestamp));
    private long bytes;
    private boolean taken;

    NewestEnvelopes(int limit, long maxBytes) {
        if (limit < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("limit and maxBytes must be positive: " + limit + ", " + maxBytes);
        }
        this.limit = limit;
        this.maxBytes = maxBytes;
    }

    synchronized void addAll(List<Envelope> piece) {
        if (taken) {
            return;
        }
        for (Envelope envelope : piece) {
            oldestFirst.add(envelope);
            bytes += envelope.getSerializedSize();
            while (oldestFirst.size() > limit || (bytes > maxBytes && oldestFirst.size() > 1)) {
                bytes -= oldestFirst.poll().getSerializedSize();
            }
        }
    }

    /** What is held, oldest first (newest first when {@code descending}); nothing is added after. */
    synchronized List<Envelope> take(boolean descending) {
        taken = true;
        List<Envelope> held = new ArrayList<>(oldestFirst);
        oldestFirst.clear();
        held.sort(Comparator.comparingLong(Envelope::getTimestamp));
        if (descending) {
            Collections.reverse(held);
        }
        return held;
    }
}
