package dev.hydrant.doppler.cache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import dev.hydrant.api.wire.EncodedEnvelope;

/**
 * A bounded cache of the most recent envelopes per source id, fed by the same ingress as the
 * router and read through {@code hydrant.v1.RecentEnvelopes}.
 *
 * <p>Bounds: at most {@code perSource} envelopes per source id (oldest overwritten), and at most
 * {@code maxBytes} of encoded envelopes and {@code maxSources} source ids in all; past either,
 * the least recently used source ids (written or read) are evicted whole. Eviction goes a little
 * below the bound (by 1/16) so that a full cache does not scan its sources on every batch.
 * Writers take one lock per run of same-source envelopes in a batch. The envelopes are kept as the
 * bytes they arrived in ({@link EncodedEnvelope}), each weighed as its encoded size plus 64 bytes for the
 * objects that hold it (so that {@code maxBytes} bounds the heap the cache takes, even of tiny envelopes);
 * a read hands those bytes back, never encoding them again.
 */
public final class RecentEnvelopeCache {

    private final int perSource;
    private final long maxBytes;
    private final int maxSources;
    private final ConcurrentHashMap<String, SourceRing> rings = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final Object evictionLock = new Object();

    public RecentEnvelopeCache(int perSource, long maxBytes, int maxSources) {
        if (perSource < 1 || maxBytes < 1 || maxSources < 1) {
            throw new IllegalArgumentException("cache bounds must be positive: perSource=" + perSource
                    + ", maxBytes=" + maxBytes + ", maxSources=" + maxSources);
        }
        this.perSource = perSource;
        this.maxBytes = maxBytes;
        this.maxSources = maxSources;
    }

    /** Keeps the envelopes of one ingress batch; those without a source id are not cached. */
    public void add(List<EncodedEnvelope> batch) {
        long stamp = ticks.incrementAndGet();
        long delta = 0;
        int n = batch.size();
        int from = 0;
        while (from < n) {
            String sourceId = batch.get(from).sourceId();
            int to = from + 1;
            while (to < n && batch.get(to).sourceId().equals(sourceId)) {
                to++;
            }
            if (!sourceId.isEmpty()) {
                delta += append(sourceId, batch, from, to, stamp);
            }
            from = to;
        }
        long total = bytes.addAndGet(delta);
        if (total > maxBytes || rings.size() > maxSources) {
            evict();
        }
    }

    private long append(String sourceId, List<EncodedEnvelope> batch, int from, int to, long stamp) {
        while (true) {
            SourceRing ring = rings.get(sourceId);
            if (ring == null) {
                ring = rings.computeIfAbsent(sourceId, id -> new SourceRing(perSource));
            }
            long delta = ring.append(batch, from, to, stamp);
            if (delta != Long.MIN_VALUE) {
                return delta;
            }
            rings.remove(sourceId, ring);
        }
    }

    private void evict() {
        synchronized (evictionLock) {
            long bytesGoal = maxBytes - maxBytes / 16;
            int sourcesGoal = maxSources - maxSources / 16;
            if (bytes.get() <= maxBytes && rings.size() <= maxSources) {
                return;
            }
            List<Map.Entry<String, SourceRing>> byAge = new ArrayList<>(rings.entrySet());
            byAge.sort(Comparator.comparingLong(entry -> entry.getValue().lastUsed()));
            for (Map.Entry<String, SourceRing> oldest : byAge) {
                if (bytes.get() <= bytesGoal && rings.size() <= sourcesGoal) {
                    return;
                }
                if (rings.remove(oldest.getKey(), oldest.getValue())) {
                    bytes.addAndGet(-oldest.getValue().remove());
                }
            }
        }
    }

    /** The newest {@code query.limit()} matching envelopes of one source id, by timestamp. */
    public List<EncodedEnvelope> read(ReadQuery query) {
        SourceRing ring = rings.get(query.sourceId());
        if (ring == null) {
            return List.of();
        }
        List<EncodedEnvelope> found = ring.matching(query, ticks.incrementAndGet());
        found.sort(Comparator.comparingLong(EncodedEnvelope::timestamp));
        List<EncodedEnvelope> newest = new ArrayList<>(found.subList(Math.max(0, found.size() - query.limit()), found.size()));
        if (query.descending()) {
            Collections.reverse(newest);
        }
        return newest;
    }

    /** What is held, per source id. */
    public Map<String, SourceStats> meta() {
        Map<String, SourceStats> meta = new TreeMap<>();
        rings.forEach((id, ring) -> meta.put(id, ring.stats()));
        return meta;
    }

    /** Source ids held now. */
    public int sources() {
        return rings.size();
    }

    /** The weight of the envelopes held now: their encoded bytes plus 64 each. */
    public long bytes() {
        return bytes.get();
    }
}
