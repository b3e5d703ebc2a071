package dev.hydrant.it;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;

/** A BatchedReceiver client that records what it gets, or stalls: it never asks for a message. */
final class Subscriber implements ClientResponseObserver<EgressBatchRequest, EnvelopeBatch> {

    final Set<String> sequences = ConcurrentHashMap.newKeySet();
    final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> error = new AtomicReference<>();
    private final boolean stalled;
    private final String sourceId;
    private volatile ClientCallStreamObserver<EgressBatchRequest> call;

    private Subscriber(boolean stalled, String sourceId) {
        this.stalled = stalled;
        this.sourceId = sourceId;
    }

    /** Subscribes to the logs of {@code sourceId} (empty: every source) within {@code shardId}. */
    static Subscriber logs(ManagedChannel channel, String sourceId, String shardId) {
        return start(channel, new Subscriber(false, sourceId), shardId);
    }

    /** Subscribes to the logs of every one of {@code sourceIds} and never asks for a message. */
    static Subscriber stalled(ManagedChannel channel, String... sourceIds) {
        EgressBatchRequest.Builder request = EgressBatchRequest.newBuilder();
        for (String sourceId : sourceIds) {
            request.addSelectors(Selector.newBuilder().setSourceId(sourceId).setLog(LogSelector.getDefaultInstance()));
        }
        Subscriber subscriber = new Subscriber(true, "");
        EgressGrpc.newStub(channel).batchedReceiver(request.build(), subscriber);
        return subscriber;
    }

    static Subscriber withRequest(ManagedChannel channel, EgressBatchRequest request) {
        Subscriber subscriber = new Subscriber(false, "");
        EgressGrpc.newStub(channel).batchedReceiver(request, subscriber);
        return subscriber;
    }

    private static Subscriber start(ManagedChannel channel, Subscriber subscriber, String shardId) {
        EgressBatchRequest request = EgressBatchRequest.newBuilder()
                .setShardId(shardId)
                .addSelectors(Selector.newBuilder().setSourceId(subscriber.sourceId).setLog(LogSelector.getDefaultInstance()))
                .build();
        EgressGrpc.newStub(channel).batchedReceiver(request, subscriber);
        return subscriber;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<EgressBatchRequest> requestStream) {
        this.call = requestStream;
        if (stalled) {
            requestStream.disableAutoRequestWithInitial(0);
        }
    }

    @Override
    public void onNext(EnvelopeBatch batch) {
        for (Envelope envelope : batch.getBatchList()) {
            envelopes.add(envelope);
            String seq = envelope.getTagsMap().get("seq");
            if (seq != null) {
                sequences.add(envelope.getSourceId() + "/" + seq);
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        error.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
    }

    void cancel() {
        if (call != null) {
            call.cancel("test done", null);
        }
    }
}
