package dev.hydrant.it.shutdown;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * A {@code BatchedReceiver} subscriber (on a Doppler or on the Traffic Controller's gRPC egress)
 * to the logs of some source ids, keeping the distinct {@code source/seq} it received and how its
 * stream ended.
 */
final class Recorder implements StreamObserver<EnvelopeBatch> {

    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Status> end = new CompletableFuture<>();

    /** Subscribes to the logs of every source in {@code sourceIds}. */
    static Recorder subscribe(ManagedChannel channel, String... sourceIds) {
        EgressBatchRequest.Builder request = EgressBatchRequest.newBuilder();
        for (String sourceId : sourceIds) {
            request.addSelectors(Selector.newBuilder().setSourceId(sourceId).setLog(LogSelector.getDefaultInstance()));
        }
        Recorder recorder = new Recorder();
        EgressGrpc.newStub(channel).batchedReceiver(request.build(), recorder);
        return recorder;
    }

    @Override
    public void onNext(EnvelopeBatch batch) {
        for (Envelope envelope : batch.getBatchList()) {
            received.add(envelope.getSourceId() + "/" + envelope.getTagsOrDefault("seq", "?"));
        }
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }

    /** Distinct envelopes of {@code sourceId} received so far. */
    long count(String sourceId) {
        String prefix = sourceId + "/";
        return received.stream().filter(key -> key.startsWith(prefix)).count();
    }

    /** How the stream ended: OK when the server completed it. */
    CompletableFuture<Status> end() {
        return end;
    }
}
