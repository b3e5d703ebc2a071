package dev.hydrant.doppler.cache;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;

class RecentEnvelopeCacheTest {

    private static ReadQuery query(String sourceId, int limit) {
        return new ReadQuery(sourceId, 0, 0, Set.of(), limit, false);
    }

    private static void add(RecentEnvelopeCache cache, List<Envelope> envelopes) {
        cache.add(envelopes.stream().map(EncodedEnvelope::of).toList());
    }

    private static List<Envelope> read(RecentEnvelopeCache cache, ReadQuery query) {
        return cache.read(query).stream().map(EncodedEnvelope::envelope).toList();
    }

    private static List<Envelope> logs(String sourceId, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> log(sourceId, "line " + i, 1_000L * i)).toList();
    }

    @Test
    void read_returnsTheNewestLimit_oldestFirst_orNewestFirstWhenDescending() {
        RecentEnvelopeCache cache = new RecentEnvelopeCache(1000, 1 << 20, 10);
        add(cache, logs("app", 0, 50));

        assertThat(read(cache, query("app", 3))).extracting(e -> text(e)).containsExactly("line 47", "line 48", "line 49");
        assertThat(read(cache, new ReadQuery("app", 0, 0, Set.of(), 3, true)))
                .extracting(e -> text(e)).containsExactly("line 49", "line 48", "line 47");
    }

    @Test
    void read_sortsByTimestamp_notByArrival() {
        RecentEnvelopeCache cache = new RecentEnvelopeCache(1000, 1 << 20, 10);
        add(cache, List.of(log("app", "late", 3_000), log("app", "early", 1_000), log("app", "middle", 2_000)));
        assertThat(read(cache, query("app", 10))).extracting(e -> text(e)).containsExactly("early", "middle", "late");
    }

    @Test
    void read_timeRange_isStartInclusiveEndExclusive() {
        RecentEnvelopeCache cache = new RecentEnvelopeCache(1000, 1 << 20, 10);
        add(cache, logs("app", 0, 10));
        assertThat(read(cache, new ReadQuery("app", 3_000, 6_000, Set.of(), 100, false)))
                .extracting(Envelope::getTimestamp).containsExactly(3_000L, 4_000L, 5_000L);
        assertThat(read(cache, new ReadQuery("app", 8_000, 0, Set.of(), 100, false)))
                .extracting(Envelope::getTimestamp).containsExactly(8_000L, 9_000L);
    }

    @Test
    void read_filtersByType() {
        RecentEnvelopeCache cache = new RecentEnvelopeCache(1000, 1 << 20, 10);
        add(cache, List.of(log("app", "a", 1), counter("app", "requests"), log("app", "b", 2)));
        assertThat(read(cache, new ReadQuery("app", 0, 0, Set.of(Envelope.MessageCase.COUNTER), 100, false)))
                .extracting(e -> e.getCounter().getName()).containsExactly("requests");
        assertThat(read(cache, new ReadQuery("app", 0, 0, Set.of(Envelope.MessageCase.LOG, Envelope.MessageCase.COUNTER), 100, false)))
                .hasSize(3);
    }

    @Test
    void eachSourceKeepsItsNewestPerSource_andCountsWhatExpired() {
        RecentEnvelopeCache cache = new RecentEnvelopeCache(100, 1 << 24, 10);
        add(cache, logs("app", 0, 250));
        add(cache, logs("other", 0, 5));
        assertThat(read(cache, query("app", 1000))).hasSize(100).first().extracting(e -> text(e)).isEqualTo("line 150");
        SourceStats stats = cache.meta().get("app");
        assertThat(stats).isEqualTo(new SourceStats(100, 150, 150_000, 249_000));
        assertThat(cache.meta().get("other").count()).isEqualTo(5);
        assertThat(read(cache, query("unknown", 10))).isEmpty();
    }

    @Test
    void pastMaxSources_leastRecentlyUsedSourcesAreEvictedFirst() {
        RecentEnvelopeCache cache = new RecentEnvelopeCache(10, 1 << 24, 3);
        add(cache, logs("a", 0, 1));
        add(cache, logs("b", 0, 1));
        add(cache, logs("c", 0, 1));
        read(cache, query("a", 1)); // a is now used more recently than b
        add(cache, logs("d", 0, 1));

        assertThat(cache.meta().keySet()).containsExactlyInAnyOrder("a", "c", "d");
        assertThat(cache.sources()).isEqualTo(3);
    }

    @Test
    void pastMaxBytes_oldestSourcesGo_andTheTotalStaysWithinTheBound() {
        int envelopeBytes = logs("s00", 9, 10).get(0).getSerializedSize() + SourceRing.ENTRY_OVERHEAD;
        long maxBytes = 20L * 10 * envelopeBytes; // room for 20 sources of 10 envelopes
        RecentEnvelopeCache cache = new RecentEnvelopeCache(10, maxBytes, 1000);
        for (int source = 0; source < 100; source++) {
            add(cache, logs(String.format("s%02d", source), 0, 10));
            assertThat(cache.bytes()).isLessThanOrEqualTo(maxBytes);
        }
        assertThat(cache.meta().keySet()).contains("s99", "s98", "s90").doesNotContain("s00", "s50", "s70");
        long held = cache.meta().keySet().stream()
                .flatMap(source -> read(cache, query(source, 1000)).stream())
                .mapToLong(envelope -> envelope.getSerializedSize() + SourceRing.ENTRY_OVERHEAD).sum();
        assertThat(cache.bytes()).isEqualTo(held);
    }

    @Test
    void envelopesWithoutSourceId_areNotCached() {
        RecentEnvelopeCache cache = new RecentEnvelopeCache(10, 1 << 20, 10);
        add(cache, List.of(log("", "anonymous")));
        assertThat(cache.sources()).isZero();
        assertThat(cache.bytes()).isZero();
    }
}
