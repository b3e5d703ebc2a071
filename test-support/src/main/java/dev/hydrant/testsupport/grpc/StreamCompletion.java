package dev.hydrant.testsupport.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** The answer side of a client stream (BatchSender, Sender) when only its end matters. */
public final class StreamCompletion {

    private StreamCompletion() {
    }

    /** An observer that ignores the answers and completes {@code done} when the call ends, exceptionally on an error. */
    public static <T> StreamObserver<T> into(CompletableFuture<Void> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
    }
}
