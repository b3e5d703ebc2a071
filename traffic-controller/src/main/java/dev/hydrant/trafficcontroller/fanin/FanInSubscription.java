package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.WireMethods;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;

/**
 * One client's streams from every Doppler. A stream that ends (the Doppler restarted, the
 * network broke) is opened again with a capped exponential backoff while the Doppler is still
 * in the pool; the client notices nothing but a gap. Closing cancels every stream. The streams are read
 * with {@link WireMethods#EGRESS_BATCHED_RECEIVER}: each envelope arrives as its bytes, copied once out of
 * gRPC's buffers and never parsed here.
 */
public final class FanInSubscription implements AutoCloseable, DopplerPool.Listener {

    private final EgressBatchRequest request;
    private final Consumer<List<EncodedEnvelope>> sink;
    private final Counter ingress;
    private final DopplerPool pool;
    private final ScheduledExecutorService retries;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private final Map<InetSocketAddress, Context.CancellableContext> streams = new ConcurrentHashMap<>();
    private volatile boolean closed;

    FanInSubscription(EgressBatchRequest request, Consumer<List<EncodedEnvelope>> sink, Counter ingress, DopplerPool pool,
                      ScheduledExecutorService retries, Duration minBackoff, Duration maxBackoff) {
        this.request = request;
        this.sink = sink;
        this.ingress = ingress;
        this.pool = pool;
        this.retries = retries;
        this.minBackoffNanos = minBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
    }

    void start() {
        for (Doppler doppler : pool.listen(this)) {
            added(doppler);
        }
    }

    @Override
    public void added(Doppler doppler) {
        open(doppler, minBackoffNanos);
    }

    @Override
    public void removed(Doppler doppler) {
        Context.CancellableContext context = streams.remove(doppler.address());
        if (context != null) {
            context.cancel(null);
        }
    }

    /** Number of Dopplers this subscription currently has a stream open (or opening) to. */
    public int openStreams() {
        return streams.size();
    }

    private void open(Doppler doppler, long backoffNanos) {
        if (closed) {
            return;
        }
        Context.CancellableContext context = Context.current().withCancellation();
        Context.CancellableContext previous = streams.put(doppler.address(), context);
        if (previous != null) {
            previous.cancel(null);
        }
        context.run(() -> ClientCalls.asyncServerStreamingCall(
                doppler.channel().newCall(WireMethods.EGRESS_BATCHED_RECEIVER, CallOptions.DEFAULT.withWaitForReady()),
                request, new Receiver(doppler, context, backoffNanos)));
        if (closed) {
            context.cancel(null);
        }
    }

    private void reopenLater(Doppler doppler, Context.CancellableContext ended, long backoffNanos) {
        if (closed || streams.get(doppler.address()) != ended) {
            return;
        }
        long next = Math.min(maxBackoffNanos, backoffNanos * 2);
        try {
            retries.schedule(() -> {
                if (!closed && streams.get(doppler.address()) == ended
                        && pool.dopplers().stream().anyMatch(d -> d.address().equals(doppler.address()))) {
                    open(doppler, next);
                }
            }, backoffNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.unlisten(this);
        streams.values().forEach(c -> c.cancel(null));
        streams.clear();
    }

    private final class Receiver implements StreamObserver<List<EncodedEnvelope>> {
        private final Doppler doppler;
        private final Context.CancellableContext context;
        private final long backoffNanos;
        private boolean received;

        Receiver(Doppler doppler, Context.CancellableContext context, long backoffNanos) {
            this.doppler = doppler;
            this.context = context;
            this.backoffNanos = backoffNanos;
        }

        @Override
        public void onNext(List<EncodedEnvelope> envelopes) {
            received = true;
            if (!envelopes.isEmpty() && !closed) {
                ingress.increment(envelopes.size());
                sink.accept(envelopes);
            }
        }

        @Override
        public void onError(Throwable t) {
            ended();
        }

        @Override
        public void onCompleted() {
            ended();
        }

        private void ended() {
            // a stream that delivered something was healthy: start the backoff over
            reopenLater(doppler, context, received ? minBackoffNanos : backoffNanos);
        }
    }
}
