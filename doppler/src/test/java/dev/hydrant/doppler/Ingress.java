package dev.hydrant.doppler;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/** Test emitters over the real Ingress service. */
public final class Ingress {

    private Ingress() {
    }

    /** Sends the batches on one BatchSender stream and waits for the server's answer. */
    public static void batchSender(TestDoppler doppler, List<List<Envelope>> batches) {
        Answer<Object> answer = new Answer<>();
        StreamObserver<EnvelopeBatch> stream = doppler.ingress().batchSender(answer.cast());
        for (List<Envelope> batch : batches) {
            stream.onNext(EnvelopeBatch.newBuilder().addAllBatch(batch).build());
        }
        stream.onCompleted();
        answer.await();
    }

    /** Sends the envelopes one per message on one Sender stream and waits for the server's answer. */
    public static void sender(TestDoppler doppler, List<Envelope> envelopes) {
        Answer<Object> answer = new Answer<>();
        StreamObserver<Envelope> stream = doppler.ingress().sender(answer.cast());
        envelopes.forEach(stream::onNext);
        stream.onCompleted();
        answer.await();
    }

    /** Sends one batch with the unary Send. */
    public static void send(TestDoppler doppler, List<Envelope> batch) {
        doppler.ingressBlocking().send(EnvelopeBatch.newBuilder().addAllBatch(batch).build());
    }

    private static final class Answer<T> implements StreamObserver<T> {
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicReference<Throwable> error = new AtomicReference<>();

        @SuppressWarnings("unchecked")
        <R> StreamObserver<R> cast() {
            return (StreamObserver<R>) this;
        }

        @Override
        public void onNext(T value) {
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
            done.set(true);
        }

        @Override
        public void onCompleted() {
            done.set(true);
        }

        void await() {
            org.awaitility.Awaitility.await().untilTrue(done);
            if (error.get() != null) {
                throw new AssertionError("ingress call failed", error.get());
            }
        }
    }
}
