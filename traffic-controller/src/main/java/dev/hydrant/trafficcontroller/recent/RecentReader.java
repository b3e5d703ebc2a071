package dev.hydrant.trafficcontroller.recent;

import dev.hydrant.api.recent.MetaInfo;
import dev.hydrant.api.recent.MetaRequest;
import dev.hydrant.api.recent.MetaResponse;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.ReadResponse;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.trafficcontroller.fanin.Doppler;
import dev.hydrant.trafficcontroller.fanin.DopplerPool;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the recent-envelope caches of every Doppler at once and merges them in time order. Each
 * Doppler gets the same deadline; one that fails or misses it is left out of the answer
 * (counted as {@code recent_logs.doppler_misses}), so a slow or dead Doppler costs at most the
 * deadline and never the whole answer.
 */
public final class RecentReader {

    /** Most envelopes one read may ask for (the caches' own cap). */
    public static final int MAX_LIMIT = 1000;

    private final DopplerPool pool;
    private final Duration deadline;
    private final Counter misses;

    public RecentReader(DopplerPool pool, Duration deadline, Counter misses) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.misses = Objects.requireNonNull(misses, "misses");
    }

    /**
     * The newest {@code request.limit} envelopes that match, over every Doppler, oldest first
     * (newest first when {@code request.descending}).
     */
    public Mono<List<Envelope>> read(ReadRequest request) {
        int limit = request.getLimit() <= 0 ? 100 : Math.min(request.getLimit(), MAX_LIMIT);
        ReadRequest capped = request.toBuilder().setLimit(limit).build();
        return Flux.fromIterable(pool.dopplers())
                .flatMap(doppler -> this.<ReadRequest, ReadResponse>call(doppler, capped,
                                (stub, observer) -> stub.read(capped, observer))
                        .map(response -> response.getEnvelopes().getBatchList()))
                .collectList()
                .map(parts -> {
                    List<Envelope> all = new ArrayList<>();
                    parts.forEach(all::addAll);
                    all.sort(Comparator.comparingLong(Envelope::getTimestamp));
                    List<Envelope> newest = new ArrayList<>(all.subList(Math.max(0, all.size() - limit), all.size()));
                    if (request.getDescending()) {
                        Collections.reverse(newest);
                    }
                    return newest;
                });
    }

    /** What every Doppler's cache holds, summed per source id. */
    public Mono<Map<String, MetaInfo>> meta() {
        MetaRequest request = MetaRequest.getDefaultInstance();
        return Flux.fromIterable(pool.dopplers())
                .flatMap(doppler -> this.<MetaRequest, MetaResponse>call(doppler, request,
                        (stub, observer) -> stub.meta(request, observer)))
                .collectList()
                .map(responses -> {
                    Map<String, MetaInfo> merged = new HashMap<>();
                    for (MetaResponse response : responses) {
                        response.getMetaMap().forEach((id, info) -> merged.merge(id, info, RecentReader::sum));
                    }
                    return merged;
                });
    }

    private static MetaInfo sum(MetaInfo a, MetaInfo b) {
        return MetaInfo.newBuilder()
                .setCount(a.getCount() + b.getCount())
                .setExpired(a.getExpired() + b.getExpired())
                .setOldestTimestamp(minPositive(a.getOldestTimestamp(), b.getOldestTimestamp()))
                .setNewestTimestamp(Math.max(a.getNewestTimestamp(), b.getNewestTimestamp()))
                .build();
    }

    private static long minPositive(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    private <Q, R> Mono<R> call(Doppler doppler, Q request,
                                BiConsumer<RecentEnvelopesGrpc.RecentEnvelopesStub, StreamObserver<R>> rpc) {
        return Mono.<R>create(sink -> {
                    RecentEnvelopesGrpc.RecentEnvelopesStub stub = RecentEnvelopesGrpc.newStub(doppler.channel())
                            .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
                    rpc.accept(stub, new StreamObserver<>() {
                        @Override
                        public void onNext(R value) {
                            sink.success(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            sink.error(t);
                        }

                        @Override
                        public void onCompleted() {
                            sink.success();
                        }
                    });
                })
                .timeout(deadline.plusMillis(100))
                .onErrorResume(e -> {
                    misses.increment();
                    return Mono.empty();
                });
    }
}
