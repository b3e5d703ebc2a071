package dev.hydrant.trafficcontroller.grpc;

import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import dev.hydrant.trafficcontroller.fanin.ClientBuffer;
import dev.hydrant.trafficcontroller.fanin.FanIn;
import dev.hydrant.trafficcontroller.fanin.FanInSubscription;
import dev.hydrant.trafficcontroller.fanin.LocalDelivery;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * {@code loggregator.v2.Egress} for nozzles in the data centre (mutual TLS, no bearer token): the
 * same fan-in as every other client, sent with gRPC flow control (only while the stream
 * {@code isReady}; the client buffer drops the oldest meanwhile). At most {@code maxStreams} are
 * open at once; one more answers RESOURCE_EXHAUSTED. A selector without a type answers
 * INVALID_ARGUMENT; no selectors means no data. At shutdown, {@link #completeAll()} ends each
 * stream's subscriptions, sends what its buffer still holds and completes it.
 */
public final class GrpcEgressService extends EgressGrpc.EgressImplBase {

    /** Envelopes per batch sent at most. */
    private static final int MAX_BATCH = 100;

    private final FanIn fanIn;
    private final LocalDelivery local;
    private final ProxyMetrics metrics;
    private final Rejections rejections;
    private final int maxStreams;
    private final int bufferSize;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Sender> senders = ConcurrentHashMap.newKeySet();

    public GrpcEgressService(FanIn fanIn, LocalDelivery local, ProxyMetrics metrics, Rejections rejections,
                             int maxStreams, int bufferSize) {
        this.fanIn = Objects.requireNonNull(fanIn, "fanIn");
        this.local = Objects.requireNonNull(local, "local");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
        this.maxStreams = maxStreams;
        this.bufferSize = bufferSize;
    }

    @Override
    public void batchedReceiver(EgressBatchRequest request, StreamObserver<EnvelopeBatch> responses) {
        ServerCallStreamObserver<EnvelopeBatch> call = (ServerCallStreamObserver<EnvelopeBatch>) responses;
        serve(request, call, batch -> call.onNext(EnvelopeBatch.newBuilder().addAllBatch(batch).build()));
    }

    @Override
    public void receiver(EgressRequest request, StreamObserver<Envelope> responses) {
        ServerCallStreamObserver<Envelope> call = (ServerCallStreamObserver<Envelope>) responses;
        EgressBatchRequest batchRequest = EgressBatchRequest.newBuilder()
                .setShardId(request.getShardId())
                .setUsePreferredTags(request.getUsePreferredTags())
                .addAllSelectors(request.getSelectorsList())
                .setDeterministicName(request.getDeterministicName())
                .build();
        if (request.hasLegacySelector()) {
            batchRequest = batchRequest.toBuilder().setLegacySelector(request.getLegacySelector()).build();
        }
        serve(batchRequest, call, batch -> batch.forEach(call::onNext));
    }

    private void serve(EgressBatchRequest request, ServerCallStreamObserver<?> call, Consumer<List<Envelope>> send) {
        for (Selector selector : request.getSelectorsList()) {
            if (selector.getMessageCase() == Selector.MessageCase.MESSAGE_NOT_SET) {
                rejections.count("bad_request");
                call.onError(Status.INVALID_ARGUMENT.withDescription("selector without an envelope type")
                        .asRuntimeException());
                return;
            }
        }
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            rejections.count("stream_limit");
            call.onError(Status.RESOURCE_EXHAUSTED.withDescription("too many egress streams (max " + maxStreams + ")")
                    .asRuntimeException());
            return;
        }
        metrics.grpcStreams().incrementAndGet();
        ClientBuffer buffer = new ClientBuffer(bufferSize, metrics.droppedEgress());
        Sender sender = new Sender(call, buffer, send, metrics.egress("grpc"));
        buffer.onData(sender::drain);
        call.setOnReadyHandler(sender::drain);
        boolean selects = request.getSelectorsCount() > 0 || request.hasLegacySelector();
        FanInSubscription subscription = selects ? fanIn.subscribe(request, buffer::offer) : null;
        local.register(request, buffer);
        Runnable leave = () -> {
            local.unregister(buffer);
            if (subscription != null) {
                subscription.close();
            }
        };
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                senders.remove(sender);
                leave.run();
                buffer.onData(() -> { });
                open.decrementAndGet();
                metrics.grpcStreams().decrementAndGet();
            }
        };
        sender.onComplete(leave);
        senders.add(sender);
        call.setOnCancelHandler(end);
        call.setOnCloseHandler(end);
    }

    /**
     * For shutdown: every open stream stops taking envelopes, sends what its buffer holds as its client
     * takes it, and completes.
     */
    public void completeAll() {
        for (Sender sender : senders) {
            sender.complete();
        }
    }

    /** Sends while the stream is ready; at most one drain runs at a time. */
    private static final class Sender {
        private final ServerCallStreamObserver<?> call;
        private final ClientBuffer buffer;
        private final Consumer<List<Envelope>> send;
        private final Counter egress;
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicBoolean completed = new AtomicBoolean();
        private volatile Runnable leave = () -> { };
        private volatile boolean completing;

        Sender(ServerCallStreamObserver<?> call, ClientBuffer buffer, Consumer<List<Envelope>> send, Counter egress) {
            this.call = call;
            this.buffer = buffer;
            this.send = send;
            this.egress = egress;
        }

        /** @param leave ends the stream's subscriptions, when it is completed */
        void onComplete(Runnable leave) {
            this.leave = leave;
        }

        /** Takes nothing more, sends what is buffered, then completes the call. */
        void complete() {
            leave.run();
            completing = true;
            drain();
        }

        void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                try {
                    while (!call.isCancelled() && call.isReady()) {
                        List<Envelope> batch = new ArrayList<>(MAX_BATCH);
                        if (buffer.drainTo(batch, MAX_BATCH) == 0) {
                            break;
                        }
                        send.accept(batch);
                        egress.increment(batch.size());
                    }
                    if (completing && buffer.size() == 0 && !call.isCancelled() && completed.compareAndSet(false, true)) {
                        call.onCompleted();
                    }
                } catch (RuntimeException e) {
                    // the call ended under us (cancelled or closed); the cancel handler cleans up
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }
    }
}
