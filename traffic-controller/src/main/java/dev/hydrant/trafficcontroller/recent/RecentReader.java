package dev.hydrant.trafficcontroller.recent;

import dev.hydrant.api.recent.MetaInfo;
import dev.hydrant.api.recent.MetaRequest;
import dev.hydrant.api.recent.MetaResponse;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.ReadResponse;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.trafficcontroller.fanin.Doppler;
import dev.hydrant.trafficcontroller.fanin.DopplerPool;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads the recent-envelope caches of every Doppler at once, each answer in pieces
 * ({@code RecentEnvelopes.Read} streams them), and keeps the newest as they arrive
 * ({@link NewestEnvelopes}). Each Doppler gets the same deadline; one that fails or misses it
 * counts as {@code recent_logs.doppler_misses} and the answer says how many missed
 * ({@link RecentRead}), so a slow or dead Doppler costs at most the deadline and never the whole
 * answer, and a read that no Doppler answered is not taken for an empty cache.
 *
 * <p>Memory per read: at most {@code limit} envelopes and {@value #MAX_READ_BYTES} bytes of them
 * held (the newest one whatever its size), plus one piece being received per Doppler (at most
 * {@value #MAX_PIECE_BYTES} bytes).
 */
public final class RecentReader {

    /** Most envelopes one read may ask for (the caches' own cap). */
    public static final int MAX_LIMIT = 1000;
    /** Serialized envelopes one read holds at most; the oldest are let go first past it. */
    public static final long MAX_READ_BYTES = 32L * 1024 * 1024;
    /**
     * Largest piece taken: one envelope of the largest ingress batch ({@link GrpcTransport#MAX_MESSAGE_BYTES})
     * and its framing in the answer; a Doppler's pieces are otherwise 1 MiB at most.
     */
    public static final int MAX_PIECE_BYTES = GrpcTransport.MAX_MESSAGE_BYTES + 64 * 1024;

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
     * (newest first when {@code request.descending}), and how many Dopplers missed.
     */
    public Mono<RecentRead<List<Envelope>>> read(ReadRequest request) {
        int limit = request.getLimit() <= 0 ? 100 : Math.min(request.getLimit(), MAX_LIMIT);
        // newest first from every Doppler, so that one cut off at the deadline has sent its newest
        ReadRequest capped = request.toBuilder().setLimit(limit).setDescending(true).build();
        Collection<Doppler> dopplers = pool.dopplers();
        NewestEnvelopes newest = new NewestEnvelopes(limit, MAX_READ_BYTES);
        return Flux.fromIterable(dopplers)
                .flatMap(doppler -> read(doppler, capped, newest))
                .filter(answered -> !answered)
                .count()
                .map(missed -> new RecentRead<>(newest.take(request.getDescending()), dopplers.size(),
                        missed.intValue()));
    }

    /** Reads every piece of one Doppler's answer into {@code newest}; true when it answered in full. */
    private Mono<Boolean> read(Doppler doppler, ReadRequest request, NewestEnvelopes newest) {
        return Mono.<Boolean>create(sink -> RecentEnvelopesGrpc.newStub(doppler.channel())
                        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                        .withMaxInboundMessageSize(MAX_PIECE_BYTES)
                        .read(request, new ClientResponseObserver<ReadRequest, ReadResponse>() {
                            /** Set when the read is abandoned: the call's CANCELLED is then no news. */
                            private volatile boolean abandoned;

                            @Override
                            public void beforeStart(ClientCallStreamObserver<ReadRequest> call) {
                                sink.onCancel(() -> {
                                    abandoned = true;
                                    call.cancel("read abandoned", null);
                                });
                            }

                            @Override
                            public void onNext(ReadResponse piece) {
                                newest.addAll(piece.getEnvelopes().getBatchList());
                            }

                            @Override
                            public void onError(Throwable t) {
                                if (!abandoned) {
                                    sink.error(t);
                                }
                            }

                            @Override
                            public void onCompleted() {
                                sink.success(true);
                            }
                        }))
                .timeout(deadline.plusMillis(100))
                .onErrorResume(e -> {
                    misses.increment();
                    return Mono.just(false);
                });
    }

    /** What every Doppler's cache holds, summed per source id, and how many Dopplers missed. */
    public Mono<RecentRead<Map<String, MetaInfo>>> meta() {
        MetaRequest request = MetaRequest.getDefaultInstance();
        Collection<Doppler> dopplers = pool.dopplers();
        return Flux.fromIterable(dopplers)
                .flatMap(doppler -> meta(doppler, request))
                .collectList()
                .map(responses -> {
                    Map<String, MetaInfo> merged = new HashMap<>();
                    for (Optional<MetaResponse> response : responses) {
                        response.ifPresent(meta -> meta.getMetaMap()
                                .forEach((id, info) -> merged.merge(id, info, RecentReader::sum)));
                    }
                    int missed = (int) responses.stream().filter(Optional::isEmpty).count();
                    return new RecentRead<>(merged, dopplers.size(), missed);
                });
    }

    /** One Doppler's meta; empty when it failed or missed the deadline. */
    private Mono<Optional<MetaResponse>> meta(Doppler doppler, MetaRequest request) {
        return Mono.<MetaResponse>create(sink -> RecentEnvelopesGrpc.newStub(doppler.channel())
                        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                        .meta(request, new StreamObserver<>() {
                            @Override
                            public void onNext(MetaResponse value) {
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
                        }))
                .map(Optional::of)
                .timeout(deadline.plusMillis(100))
                .onErrorResume(e -> {
                    misses.increment();
                    return Mono.just(Optional.empty());
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
}
