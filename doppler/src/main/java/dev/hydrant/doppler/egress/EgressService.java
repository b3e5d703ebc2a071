package dev.hydrant.doppler.egress;

import dev.hydrant.api.convert.PreferredTags;
import dev.hydrant.doppler.routing.InvalidSelectorException;
import dev.hydrant.doppler.routing.Router;
import dev.hydrant.doppler.routing.SubscriptionLimitException;
import dev.hydrant.doppler.routing.SubscriptionSpec;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
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
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * {@code loggregator.v2.Egress}: each call subscribes to the {@link Router} with its own bounded
 * buffer ({@link SubscriberStream}) and stays open until the client cancels or the server stops.
 * A selector without a type answers {@code INVALID_ARGUMENT}; a stream beyond the router's limit
 * answers {@code RESOURCE_EXHAUSTED}.
 */
public final class EgressService extends EgressGrpc.EgressImplBase {

    private final Router router;
    private final EgressSettings settings;
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
        this.drainExecutor = Objects.requireNonNull(drainExecutor, "drainExecutor");
        this.egress = Objects.requireNonNull(egress, "egress");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
    }

    @Override
    public void batchedReceiver(EgressBatchRequest request, StreamObserver<EnvelopeBatch> observer) {
        ServerCallStreamObserver<EnvelopeBatch> call = (ServerCallStreamObserver<EnvelopeBatch>) observer;
        boolean preferred = request.getUsePreferredTags();
        Consumer<List<Envelope>> writer = envelopes -> {
            EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
            for (Envelope envelope : envelopes) {
                batch.addBatch(preferred ? PreferredTags.flatten(envelope) : envelope);
            }
            call.onNext(batch.build());
        };
        open(call, writer, spec(request.hasLegacySelector(), request.getLegacySelector(), request.getSelectorsList(),
                request.getShardId(), request.getDeterministicName()));
    }

    @Override
    public void receiver(EgressRequest request, StreamObserver<Envelope> observer) {
        ServerCallStreamObserver<Envelope> call = (ServerCallStreamObserver<Envelope>) observer;
        boolean preferred = request.getUsePreferredTags();
        Consumer<List<Envelope>> writer = envelopes -> {
            for (Envelope envelope : envelopes) {
                call.onNext(preferred ? PreferredTags.flatten(envelope) : envelope);
            }
        };
        open(call, writer, spec(request.hasLegacySelector(), request.getLegacySelector(), request.getSelectorsList(),
                request.getShardId(), request.getDeterministicName()));
    }

    private void open(ServerCallStreamObserver<?> call, Consumer<List<Envelope>> writer, SubscriptionSpec spec) {
        SubscriberStream stream = new SubscriberStream(call, writer, settings.bufferSize(), settings.batchSize(),
                drainExecutor, egress::increment, dropped::increment, open::remove);
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
        open.add(stream);
        // room for a burst in the transport: at 100,000 envelopes/s a consumer's pause of a few ms
        // otherwise overflows the 1,000-entry buffer while gRPC's default 32 KiB holds only one batch or two
        call.setOnReadyThreshold(settings.writeBufferBytes());
        stream.attach(registration);
        call.setOnCancelHandler(stream::close);
        call.setOnReadyHandler(stream::schedule);
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

    /** Completes every open stream after sending what its client can still take; for shutdown. */
    public void completeAll() {
        for (SubscriberStream stream : open) {
            stream.complete();
        }
    }
}
