package dev.hydrant.it.trafficcontroller;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/** A nozzle in the data centre: {@code loggregator.v2.Egress/BatchedReceiver} over mutual TLS. */
final class EgressConsumer implements ClientResponseObserver<EgressBatchRequest, EnvelopeBatch>, AutoCloseable {

    final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> error = new AtomicReference<>();
    private volatile ClientCallStreamObserver<EgressBatchRequest> call;

    static EgressConsumer open(ManagedChannel channel, EgressBatchRequest request) {
        EgressConsumer consumer = new EgressConsumer();
        EgressGrpc.newStub(channel).batchedReceiver(request, consumer);
        return consumer;
    }

    List<Envelope> logs(String sourceId) {
        return envelopes.stream().filter(e -> e.hasLog() && e.getSourceId().equals(sourceId)).toList();
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<EgressBatchRequest> requestStream) {
        this.call = requestStream;
    }

    @Override
    public void onNext(EnvelopeBatch batch) {
        envelopes.addAll(batch.getBatchList());
    }

    @Override
    public void onError(Throwable t) {
        error.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
    }

    @Override
    public void close() {
        ClientCallStreamObserver<EgressBatchRequest> current = call;
        if (current != null) {
            current.cancel("consumer done", null);
        }
    }
}
