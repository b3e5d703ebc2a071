package dev.hydrant.trafficcontroller.support;

import dev.hydrant.api.recent.EnvelopeType;
import dev.hydrant.api.recent.MetaInfo;
import dev.hydrant.api.recent.MetaRequest;
import dev.hydrant.api.recent.MetaResponse;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.ReadResponse;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.api.select.Selectors;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.WireMethods;
import dev.hydrant.plumbing.grpc.BindRetry;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/**
 * A test-only Doppler over real mutual TLS: Egress.BatchedReceiver with selectors and shard
 * groups (a shard group's members take turns), and RecentEnvelopes over what it was given (one
 * envelope per piece of a read). As a Loggregator Doppler does, it sends each envelope as the bytes it
 * was given ({@link #emitEncoded}), framed into the batch unchanged.
 */
public final class FakeDoppler implements AutoCloseable {

    public record Subscriber(EgressBatchRequest request, ServerCallStreamObserver<List<EncodedEnvelope>> observer) {
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final List<Envelope> cache = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> turns = new LinkedHashMap<>();
    private final Server server;
    private volatile boolean hangReads;

    public FakeDoppler(TlsFiles tls) throws IOException {
        this(tls, 0);
    }

    /**
     * A Doppler on a given port, for one that comes back where it was: the bind is retried while
     * the port is still held, as a real Doppler's is.
     */
    public FakeDoppler(TlsFiles tls, int port) throws IOException {
        this.server = BindRetry.start(() -> GrpcTransport.server("127.0.0.1", port, tls, "test.doppler.tls")
                .addService(new Egress())
                .addService(new Recent())
                .build(), BindRetry.DEFAULT_PATIENCE);
    }

    public int port() {
        return server.getPort();
    }

    public List<Subscriber> subscribers() {
        return subscribers;
    }

    /** Reads never answer: a Doppler that hangs. */
    public FakeDoppler hangReads() {
        this.hangReads = true;
        return this;
    }

    /** Puts envelopes into the cache without streaming them. */
    public void cache(List<Envelope> envelopes) {
        cache.addAll(envelopes);
    }

    /** Routes envelopes to the subscribers as a Doppler does. */
    public void emit(List<Envelope> envelopes) {
        emitEncoded(envelopes.stream().map(EncodedEnvelope::of).toList());
    }

    /** Routes envelopes, each sent as exactly its bytes, to the subscribers as a Doppler does. */
    public synchronized void emitEncoded(List<EncodedEnvelope> envelopes) {
        Map<Subscriber, List<EncodedEnvelope>> out = new LinkedHashMap<>();
        for (EncodedEnvelope encoded : envelopes) {
            Envelope envelope = encoded.envelope();
            Map<String, List<Subscriber>> groups = new LinkedHashMap<>();
            for (Subscriber subscriber : subscribers) {
                if (matches(subscriber.request(), envelope)) {
                    String shard = subscriber.request().getShardId();
                    String key = shard.isEmpty() ? "unsharded-" + System.identityHashCode(subscriber) : "shard-" + shard;
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(subscriber);
                }
            }
            groups.forEach((key, members) -> {
                int turn = turns.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement();
                out.computeIfAbsent(members.get(Math.floorMod(turn, members.size())), s -> new ArrayList<>()).add(encoded);
            });
        }
        out.forEach((subscriber, batch) -> {
            synchronized (subscriber) {
                if (!subscriber.observer().isCancelled()) {
                    subscriber.observer().onNext(batch);
                }
            }
        });
    }

    static boolean matches(EgressBatchRequest request, Envelope envelope) {
        return Selectors.matches(request, envelope);
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(server, 500);
    }

    private final class Egress implements BindableService {
        @Override
        public ServerServiceDefinition bindService() {
            return ServerServiceDefinition.builder(EgressGrpc.SERVICE_NAME)
                    .addMethod(WireMethods.EGRESS_BATCHED_RECEIVER, ServerCalls.asyncServerStreamingCall(this::batchedReceiver))
                    .build();
        }

        private void batchedReceiver(EgressBatchRequest request, StreamObserver<List<EncodedEnvelope>> responses) {
            ServerCallStreamObserver<List<EncodedEnvelope>> observer =
                    (ServerCallStreamObserver<List<EncodedEnvelope>>) responses;
            Subscriber subscriber = new Subscriber(request, observer);
            observer.setOnCancelHandler(() -> subscribers.remove(subscriber));
            subscribers.add(subscriber);
        }
    }

    private final class Recent extends RecentEnvelopesGrpc.RecentEnvelopesImplBase {
        @Override
        public void read(ReadRequest request, StreamObserver<ReadResponse> responses) {
            if (hangReads) {
                return;
            }
            List<Envelope> matching = cache.stream()
                    .filter(e -> e.getSourceId().equals(request.getSourceId()))
                    .filter(e -> e.getTimestamp() >= request.getStartTime())
                    .filter(e -> request.getEndTime() == 0 || e.getTimestamp() < request.getEndTime())
                    .filter(e -> request.getEnvelopeTypesList().isEmpty() || request.getEnvelopeTypesList().contains(type(e)))
                    .sorted(Comparator.comparingLong(Envelope::getTimestamp))
                    .toList();
            int limit = request.getLimit() == 0 ? 100 : request.getLimit();
            List<Envelope> newest = matching.subList(Math.max(0, matching.size() - limit), matching.size());
            // one piece per envelope (an empty piece when there is none), as a Doppler's pieces may come
            for (Envelope envelope : newest) {
                responses.onNext(ReadResponse.newBuilder().setEnvelopes(EnvelopeBatch.newBuilder().addBatch(envelope))
                        .build());
            }
            if (newest.isEmpty()) {
                responses.onNext(ReadResponse.newBuilder().setEnvelopes(EnvelopeBatch.getDefaultInstance()).build());
            }
            responses.onCompleted();
        }

        @Override
        public void meta(MetaRequest request, StreamObserver<MetaResponse> responses) {
            MetaResponse.Builder meta = MetaResponse.newBuilder();
            for (Envelope e : cache) {
                MetaInfo old = meta.getMetaOrDefault(e.getSourceId(), MetaInfo.getDefaultInstance());
                meta.putMeta(e.getSourceId(), old.toBuilder().setCount(old.getCount() + 1).build());
            }
            responses.onNext(meta.build());
            responses.onCompleted();
        }

        private EnvelopeType type(Envelope e) {
            return switch (e.getMessageCase()) {
                case LOG -> EnvelopeType.LOG;
                case COUNTER -> EnvelopeType.COUNTER;
                case GAUGE -> EnvelopeType.GAUGE;
                case TIMER -> EnvelopeType.TIMER;
                case EVENT -> EnvelopeType.EVENT;
                default -> EnvelopeType.ANY;
            };
        }
    }
}
