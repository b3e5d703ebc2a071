package dev.hydrant.doppler.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.hydrant.api.wire.EncodedEnvelope;

/**
 * The doppler's router: hands each envelope of an ingress batch to every subscriber whose
 * selectors match it, and to exactly one member of each shard group that matches it.
 *
 * <p>Free of gRPC and Spring so that it can be driven directly (benchmarks, tests). Routing runs
 * on the caller's thread, takes no lock, and ends with one {@link SubscriberSink#deliver} call per
 * subscriber per batch. Subscribing and unsubscribing are rare: they rebuild an immutable index
 * (copy on write) that routing reads through one volatile field.
 */
public final class Router {

    /** Ends one subscription; closing twice is harmless. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    record Subscriber(SubscriptionSpec spec, SelectorFilter filter, SubscriberSink sink) {
    }

    private final int maxSubscriptions;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /** @param maxSubscriptions how many subscriptions may be open at once */
    public Router(int maxSubscriptions) {
        if (maxSubscriptions < 1) {
            throw new IllegalArgumentException("maxSubscriptions must be at least 1, was " + maxSubscriptions);
        }
        this.maxSubscriptions = maxSubscriptions;
    }

    /**
     * Registers a subscriber; from now on it receives the matching envelopes of every routed batch.
     *
     * @throws InvalidSelectorException   when a selector has no type
     * @throws SubscriptionLimitException when {@code maxSubscriptions} are already open
     */
    public Registration subscribe(SubscriptionSpec spec, SubscriberSink sink) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(sink, "sink");
        Subscriber subscriber = new Subscriber(spec, SelectorFilter.compile(spec.selectors()), sink);
        synchronized (subscribers) {
            if (subscribers.size() >= maxSubscriptions) {
                throw new SubscriptionLimitException(maxSubscriptions);
            }
            subscribers.add(subscriber);
            snapshot = Snapshot.build(subscribers);
        }
        return () -> unsubscribe(subscriber);
    }

    private void unsubscribe(Subscriber subscriber) {
        synchronized (subscribers) {
            if (subscribers.remove(subscriber)) {
                snapshot = Snapshot.build(subscribers);
            }
        }
    }

    /** How many subscriptions are open. */
    public int subscriptions() {
        return snapshot.sinks.length;
    }

    /** Routes one batch; never throws for any envelope content. */
    public void route(List<EncodedEnvelope> batch) {
        Snapshot current = snapshot;
        if (current.isEmpty() || batch.isEmpty()) {
            return;
        }
        Scratch work = scratch.get().prepare(current.sinks.length);
        RoutingFields fields = work.fields;
        for (int i = 0, n = batch.size(); i < n; i++) {
            EncodedEnvelope envelope = batch.get(i);
            fields.of(envelope);
            collect(work, current.wildcard(envelope.type()), fields);
            collect(work, current.forSource(envelope.sourceId()), fields);
        }
        fields.of(null);
        work.flush(current.sinks);
    }

    private static void collect(Scratch work, Target[] targets, RoutingFields envelope) {
        for (Target target : targets) {
            int slot = target.pick(envelope);
            if (slot >= 0) {
                work.add(slot, envelope.envelope());
            }
        }
    }

    /** Per-thread lists of one batch, by subscriber slot; only touched slots are visited. */
    private static final class Scratch {
        final RoutingFields fields = new RoutingFields();
        private List<EncodedEnvelope>[] lists = newLists(16);
        private int[] touched = new int[16];
        private int touchedCount;

        Scratch prepare(int slots) {
            for (int i = 0; i < touchedCount; i++) {
                lists[touched[i]] = null; // left over only if an earlier batch failed half-way
            }
            touchedCount = 0;
            if (lists.length < slots) {
                lists = newLists(Math.max(slots, lists.length * 2));
                touched = new int[lists.length];
            }
            return this;
        }

        void add(int slot, EncodedEnvelope envelope) {
            List<EncodedEnvelope> list = lists[slot];
            if (list == null) {
                list = new ArrayList<>();
                lists[slot] = list;
                touched[touchedCount++] = slot;
            }
            list.add(envelope);
        }

        void flush(SubscriberSink[] sinks) {
            int count = touchedCount;
            touchedCount = 0;
            for (int i = 0; i < count; i++) {
                int slot = touched[i];
                List<EncodedEnvelope> list = lists[slot];
                lists[slot] = null;
                try {
                    sinks[slot].deliver(list);
                } catch (RuntimeException e) {
                    // A faulty sink must not cost the other subscribers their envelopes.
                }
            }
        }

        @SuppressWarnings("unchecked")
        private static List<EncodedEnvelope>[] newLists(int size) {
            return new List[size];
        }
    }
}
