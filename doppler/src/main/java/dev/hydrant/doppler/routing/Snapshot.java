package dev.hydrant.doppler.routing;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * An immutable routing index over the subscribers at one moment: targets that take every source
 * id in one list, the others indexed by the source ids they name, so that routing an envelope
 * costs the wildcard targets plus those of its own source id, not every subscriber. A target is
 * in the wildcard list or in the lists of its source ids, never both, so no subscriber sees an
 * envelope twice. The wildcard targets are also indexed by the envelope types they take, so that
 * a log envelope is never tried against a thousand counter subscriptions.
 */
final class Snapshot {

    private static final Envelope.MessageCase[] TYPES = Envelope.MessageCase.values();

    private static final Target[] NONE = new Target[0];

    static final Snapshot EMPTY = new Snapshot(new SubscriberSink[0], NONE, Map.of());

    final SubscriberSink[] sinks;
    private final Target[] wildcard;
    private final Target[][] wildcardByType;
    private final Map<String, Target[]> bySource;

    private Snapshot(SubscriberSink[] sinks, Target[] wildcard, Map<String, Target[]> bySource) {
        this.sinks = sinks;
        this.wildcard = wildcard;
        this.bySource = bySource;
        List<List<Target>> takers = new ArrayList<>();
        for (int i = 0; i < TYPES.length; i++) {
            takers.add(new ArrayList<>());
        }
        for (Target target : wildcard) {
            Set<Envelope.MessageCase> types = EnumSet.noneOf(Envelope.MessageCase.class);
            target.collectTypes(types);
            for (Envelope.MessageCase type : types) {
                takers.get(type.ordinal()).add(target);
            }
        }
        this.wildcardByType = new Target[TYPES.length][];
        for (int i = 0; i < TYPES.length; i++) {
            wildcardByType[i] = takers.get(i).toArray(NONE);
        }
    }

    /** The targets that take every source id and envelopes of {@code type}. */
    Target[] wildcard(Envelope.MessageCase type) {
        return wildcardByType[type.ordinal()];
    }

    Target[] forSource(String sourceId) {
        Target[] targets = bySource.get(sourceId);
        return targets == null ? NONE : targets;
    }

    boolean isEmpty() {
        return wildcard.length == 0 && bySource.isEmpty();
    }

    static Snapshot build(List<Router.Subscriber> subscribers) {
        SubscriberSink[] sinks = new SubscriberSink[subscribers.size()];
        List<Target> targets = new ArrayList<>();
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int slot = 0; slot < sinks.length; slot++) {
            Router.Subscriber subscriber = subscribers.get(slot);
            sinks[slot] = subscriber.sink();
            if (subscriber.spec().shardId().isEmpty()) {
                targets.add(new Target(new int[] {slot}, new SelectorFilter[] {subscriber.filter()}, false));
            } else {
                groups.computeIfAbsent(subscriber.spec().shardId(), id -> new ArrayList<>()).add(slot);
            }
        }
        for (List<Integer> members : groups.values()) {
            int[] slots = new int[members.size()];
            SelectorFilter[] filters = new SelectorFilter[members.size()];
            boolean deterministic = false;
            for (int i = 0; i < slots.length; i++) {
                Router.Subscriber member = subscribers.get(members.get(i));
                slots[i] = members.get(i);
                filters[i] = member.filter();
                deterministic |= !member.spec().deterministicName().isEmpty();
            }
            targets.add(new Target(slots, filters, deterministic));
        }
        return index(sinks, targets);
    }

    private static Snapshot index(SubscriberSink[] sinks, List<Target> targets) {
        List<Target> wildcard = new ArrayList<>();
        Map<String, List<Target>> bySource = new HashMap<>();
        for (Target target : targets) {
            if (target.anySource()) {
                wildcard.add(target);
                continue;
            }
            Set<String> ids = new LinkedHashSet<>();
            target.collectSourceIds(ids);
            for (String id : ids) {
                bySource.computeIfAbsent(id, key -> new ArrayList<>()).add(target);
            }
        }
        Map<String, Target[]> index = new HashMap<>(bySource.size() * 2);
        bySource.forEach((id, list) -> index.put(id, list.toArray(NONE)));
        return new Snapshot(sinks, wildcard.toArray(NONE), index);
    }
}
