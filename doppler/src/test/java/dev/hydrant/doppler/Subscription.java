package dev.hydrant.doppler;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/** A test egress client: collects what it receives; optionally reads nothing until told to. */
public final class Subscription<T> implements ClientResponseObserver<Object, T> {

    private final Function<T, List<Envelope>> unpack;
    private final boolean paused;
    private final List<Envelope> received = new ArrayList<>();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile int messages;
    private volatile ClientCallStreamObserver<Object> call;

    private Subscription(Function<T, List<Envelope>> unpack, boolean paused) {
        this.unpack = unpack;
        this.paused = paused;
    }

    public static Subscription<EnvelopeBatch> batched(TestDoppler doppler, EgressBatchRequest request) {
        return batched(doppler, request, false);
    }

    /** @param paused when true the client requests no message until {@link #resume()}: a stalled reader */
    public static Subscription<EnvelopeBatch> batched(TestDoppler doppler, EgressBatchRequest request, boolean paused) {
        Subscription<EnvelopeBatch> subscription = new Subscription<>(EnvelopeBatch::getBatchList, paused);
        doppler.egress().batchedReceiver(request, subscription);
        return subscription;
    }

    public static Subscription<Envelope> single(TestDoppler doppler, EgressRequest request) {
        Subscription<Envelope> subscription = new Subscription<>(List::of, false);
        doppler.egress().receiver(request, subscription);
        return subscription;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
        this.call = requestStream;
        if (paused) {
            requestStream.disableAutoRequestWithInitial(0);
        }
    }

    @Override
    public void onNext(T message) {
        List<Envelope> envelopes = unpack.apply(message);
        synchronized (received) {
            received.addAll(envelopes);
        }
        messages++;
    }

    @Override
    public void onError(Throwable t) {
        error.set(t);
    }

    @Override
    public void onCompleted() {
        completed.set(true);
    }

    public void resume() {
        call.request(Integer.MAX_VALUE);
    }

    public void cancel() {
        call.cancel("test done", null);
    }

    public List<Envelope> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    public int count() {
        synchronized (received) {
            return received.size();
        }
    }

    public int messages() {
        return messages;
    }

    public Throwable error() {
        return error.get();
    }

    public Status.Code errorCode() {
        Throwable t = error.get();
        return t == null ? null : Status.fromThrowable(t).getCode();
    }

    public boolean completed() {
        return completed.get();
    }
}
