package dev.hydrant.trafficcontroller.support;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/** A v2 {@code BatchedReceiver} client that keeps what it receives; closing it cancels the call. */
public final class EgressClient implements StreamObserver<EnvelopeBatch>, AutoCloseable {

    public final List<Envelope> received = new CopyOnWriteArrayList<>();
    /** How the call ended: OK when the server completed it. */
    public final CompletableFuture<Status> ended = new CompletableFuture<>();
    private final Context.CancellableContext context = Context.current().withCancellation();

    private EgressClient() {
    }

    public static EgressClient open(ManagedChannel channel, EgressBatchRequest request) {
        EgressClient client = new EgressClient();
        client.context.run(() -> EgressGrpc.newStub(channel).batchedReceiver(request, client));
        return client;
    }

    @Override
    public void onNext(EnvelopeBatch batch) {
        received.addAll(batch.getBatchList());
    }

    @Override
    public void onError(Throwable t) {
        ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        ended.complete(Status.OK);
    }

    @Override
    public void close() {
        context.cancel(null);
    }
}
