package dev.hydrant.testsupport.grpc;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/** What one v2 egress subscriber (BatchedReceiver) receives, batch by batch, and how its stream ended. */
public final class ReceivedBatches implements StreamObserver<EnvelopeBatch> {

    /** Every batch, in the order received. */
    public final List<EnvelopeBatch> received = new CopyOnWriteArrayList<>();
    /** Completed when the stream ends: with its error, or null when it completed. */
    public final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    /** Every envelope of every batch, in the order received. */
    public List<Envelope> envelopes() {
        return received.stream().flatMap(batch -> batch.getBatchList().stream()).toList();
    }

    @Override
    public void onNext(EnvelopeBatch batch) {
        received.add(batch);
    }

    @Override
    public void onError(Throwable t) {
        ended.complete(t);
    }

    @Override
    public void onCompleted() {
        ended.complete(null);
    }
}
