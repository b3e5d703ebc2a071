package dev.hydrant.doppler.routing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * One destination of the routing index: a lone subscriber, or a shard group whose members split
 * what they match so that each envelope goes to exactly one of them. Members are identified by
 * their slot in the {@link Snapshot} that built this target.
 */
final class Target {

    private final int[] slots;
    private final SelectorFilter[] filters;
    private final boolean uniform;
    private final boolean deterministic;
    private final AtomicInteger cursor = new AtomicInteger();

    Target(int[] slots, SelectorFilter[] filters, boolean deterministic) {
        this.slots = slots;
        this.filters = filters;
        this.deterministic = deterministic;
        boolean same = true;
        for (SelectorFilter filter : filters) {
            same &= filter.equals(filters[0]);
        }
        this.uniform = same;
    }

    /** Whether some member takes envelopes of every source id. */
    boolean anySource() {
        for (SelectorFilter filter : filters) {
            if (filter.anySource()) {
                return true;
            }
        }
        return false;
    }

    void collectSourceIds(Set<String> into) {
        for (SelectorFilter filter : filters) {
            into.addAll(filter.sourceIds());
        }
    }

    /** Adds the envelope types some member's selectors take. */
    void collectTypes(Set<Envelope.MessageCase> into) {
        for (SelectorFilter filter : filters) {
            into.addAll(filter.types());
        }
    }

    /** The slot of the member that gets {@code envelope}, or -1 when no member matches it. */
    int pick(RoutingFields envelope) {
        if (slots.length == 1) {
            return filters[0].matches(envelope) ? slots[0] : -1;
        }
        int eligible = uniform ? (filters[0].matches(envelope) ? slots.length : 0) : countMatching(envelope);
        if (eligible == 0) {
            return -1;
        }
        int chosen = Math.floorMod(choice(envelope), eligible);
        if (uniform) {
            return slots[chosen];
        }
        for (int i = 0; i < slots.length; i++) {
            if (filters[i].matches(envelope) && chosen-- == 0) {
                return slots[i];
            }
        }
        return -1;
    }

    private int countMatching(RoutingFields envelope) {
        int count = 0;
        for (SelectorFilter filter : filters) {
            if (filter.matches(envelope)) {
                count++;
            }
        }
        return count;
    }

    private int choice(RoutingFields envelope) {
        if (deterministic) {
            if (envelope.type() == Envelope.MessageCase.COUNTER) {
                return mix(envelope.counterName().hashCode());
            }
            if (envelope.type() == Envelope.MessageCase.GAUGE) {
                // Summing the mixed hashes of the names is independent of their order, so it
                // hashes the sorted set of names without sorting.
                List<String> names = envelope.gaugeNames();
                int sum = 0;
                for (int i = 0, n = names.size(); i < n; i++) {
                    sum += mix(names.get(i).hashCode());
                }
                return mix(sum);
            }
        }
        return cursor.getAndIncrement();
    }

    private static int mix(int hash) {
        int h = hash * 0x9E3779B1;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }
}
