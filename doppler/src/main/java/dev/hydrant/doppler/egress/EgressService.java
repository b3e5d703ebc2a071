package dev.hydrant.doppler.egress;

import dev.hydrant.api.convert.PreferredTags;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.WireMethods;
import dev.hydrant.doppler.routing.InvalidSelectorException;
import dev.hydrant.doppler.routing.Router;
import dev.hydrant.doppler.routing.SubscriptionLimitException;
import dev.hydrant.doppler.routing.SubscriptionSpec;
import dev.hydrant.plumbing.buffer.ByteShares;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * {@code loggregator.v2.Egress}: each call subscribes to the {@link Router} with its own bounded
 * buffer ({@link SubscriberStream}) and stays open until the client cancels or the server stops.
 * A selector without a type answers {@code INVALID_ARGUMENT}; a stream beyond the router's limit
 * answers {@code RESOURCE_EXHAUSTED}.
 *
 * <p>Served with {@link WireMethods}: a batch (or a single envelope) is framed from the bytes the
 * envelopes arrived in, never encoded again. Only a {@code use_preferred_tags} subscriber's envelopes
 * that carry deprecated tags are parsed and re-encoded, as the flattening changes them.
 */
public final class EgressService implements BindableService {

    private final Router router;
    private final EgressSettings settings;
    private final ByteShares shares;
    private final Executor drainExecutor;
    private final Counter egress;
    private final Counter dropped;
    private final Set<SubscriberStream> open = ConcurrentHashMap.newKeySet();

    /**
     * @param drainExecutor runs the subscribers' drain tasks (at most one queued per subscriber)
     * @param egress        counts envelopes sent to subscribers
     * @param dropped       counts envelopes lost in subscriber buffers
     */
    public EgressService(Router router, EgressSettings settings, Executor drainExecutor, Counter egress, Counter dropped) {
        this.router = Objects.requireNonNull(router, "router");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shares = new ByteShares(settings.bufferBytes(), settings.totalBufferBytes());
        this.drainExecutor = Objects.requireNonNull(drainExecutor, "drainExecutor");
        this.egress = Objects.requireNonNull(egress, "egress");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
    }

    @Override
    public ServerServiceDefinition bindService() {
        ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(EgressGrpc.SERVICE_NAME)
                .setSchemaDescriptor(EgressGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(WireMethods.EGRESS_RECEIVER)
                .addMethod(WireMethods.EGRESS_BATCHED_RECEIVER)
                .build();
        return ServerServiceDefinition.builder(descriptor)
                .addMethod(WireMethods.EGRESS_RECEIVER, ServerCalls.asyncServerStreamingCall(this::receiver))
                .addMethod(WireMethods.EGRESS_BATCHED_RECEIVER, ServerCalls.asyncServerStreamingCall(this::batchedReceiver))
                .build();
    }

    void batchedReceiver(EgressBatchRequest request, StreamObserver<List<EncodedEnvelope>> observer) {
        ServerCallStreamObserver<List<EncodedEnvelope>> call = (ServerCallStreamObserver<List<EncodedEnvelope>>) observer;
        Consumer<List<EncodedEnvelope>> writer = request.getUsePreferredTags()
                ? envelopes -> call.onNext(preferred(envelopes))
                : call::onNext;
        open(call, writer, spec(request.hasLegacySelector(), request.getLegacySelector(), request.getSelectorsList(),
                request.getShardId(), request.getDeterministicName()));
    }

    void receiver(EgressRequest request, StreamObserver<EncodedEnvelope> observer) {
        ServerCallStreamObserver<EncodedEnvelope> call = (ServerCallStreamObserver<EncodedEnvelope>) observer;
        boolean preferred = request.getUsePreferredTags();
        Consumer<List<EncodedEnvelope>> writer = envelopes -> {
            for (int i = 0, n = envelopes.size(); i < n; i++) {
                call.onNext(preferred ? preferred(envelopes.get(i)) : envelopes.get(i));
            }
        };
        open(call, writer, spec(request.hasLegacySelector(), request.getLegacySelector(), request.getSelectorsList(),
                request.getShardId(), request.getDeterministicName()));
    }

    /** The chunk with each envelope's deprecated tags flattened into tags (docs/wire.md section 2). */
    private static List<EncodedEnvelope> preferred(List<EncodedEnvelope> envelopes) {
        for (int i = 0, n = envelopes.size(); i < n; i++) {
            envelopes.set(i, preferred(envelopes.get(i)));
        }
        return envelopes;
    }

    private static EncodedEnvelope preferred(EncodedEnvelope envelope) {
        return envelope.hasDeprecatedTags() ? EncodedEnvelope.of(PreferredTags.flatten(envelope.envelope())) : envelope;
    }

    private void open(ServerCallStreamObserver<?> call, Consumer<List<EncodedEnvelope>> writer, SubscriptionSpec spec) {
        SubscriberStream stream = new SubscriberStream(call, writer, settings.bufferSize(), shares, settings.batchSize(),
                drainExecutor, egress::increment, dropped::increment, this::closed);
        Router.Registration registration;
        try {
            registration = router.subscribe(spec, stream);
        } catch (InvalidSelectorException e) {
            call.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (SubscriptionLimitException e) {
            call.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        shares.join();
        for (SubscriberStream other : open) {
            other.trimToShare(); // each share just got smaller: the total stays within egress-buffer-bytes
        }
        open.add(stream);
        // room for a burst in the transport: a consumer's pause of a few ms at 100,000 envelopes/s
        // otherwise fills its buffer while gRPC's default 32 KiB holds only one batch or two
        call.setOnReadyThreshold(settings.writeBufferBytes());
        stream.attach(registration);
        call.setOnCancelHandler(stream::close);
        call.setOnReadyHandler(stream::schedule);
    }

    private void closed(SubscriberStream stream) {
        if (open.remove(stream)) {
            shares.leave();
        }
    }

    /**
     * The legacy selector joins the selectors; a legacy selector without a type, as old clients
     * send it, means every type of its source id.
     */
    static SubscriptionSpec spec(boolean hasLegacy, Selector legacy, List<Selector> selectors, String shardId,
                                 String deterministicName) {
        List<Selector> all = new ArrayList<>(selectors);
        if (hasLegacy) {
            if (legacy.getMessageCase() == Selector.MessageCase.MESSAGE_NOT_SET) {
                Selector.Builder base = Selector.newBuilder().setSourceId(legacy.getSourceId());
                all.add(base.clone().setLog(legacy.getLog()).build());
                all.add(base.clone().setCounter(legacy.getCounter()).build());
                all.add(base.clone().setGauge(legacy.getGauge()).build());
                all.add(base.clone().setTimer(legacy.getTimer()).build());
                all.add(base.clone().setEvent(legacy.getEvent()).build());
            } else {
                all.add(legacy);
            }
        }
        return new SubscriptionSpec(all, shardId, deterministicName);
    }

    /** Envelopes waiting in all subscriber buffers now. */
    public long buffered() {
        long sum = 0;
        for (SubscriberStream stream : open) {
            sum += stream.buffered();
        }
        return sum;
    }

    /** Bytes (as the buffers weigh them) waiting in all subscriber buffers now. */
    public long bufferedBytes() {
        long sum = 0;
        for (SubscriberStream stream : open) {
            sum += stream.bufferedBytes();
        }
        return sum;
    }

    /** Completes every open stream after sending what its client can still take; for shutdown. */
    public void completeAll() {
        for (SubscriberStream stream : open) {
            stream.complete();
        }
    }
}
