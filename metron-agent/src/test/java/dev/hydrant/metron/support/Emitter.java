package dev.hydrant.metron.support;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.RawBytes;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;

/** An emitter on the host: a v2 Ingress client of metron with its own certificate. */
public final class Emitter implements AutoCloseable {

    private final ManagedChannel channel;

    public Emitter(int metronPort, TlsFiles tls) {
        this.channel = GrpcTransport.channel("127.0.0.1:" + metronPort, "metron", tls, "test.emitter.tls").build();
    }

    /** Unary {@code Send} of one batch. */
    public void send(List<Envelope> envelopes) {
        IngressGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .send(EnvelopeBatch.newBuilder().addAllBatch(envelopes).build());
    }

    /** Unary {@code Send} of bytes that may not be an EnvelopeBatch; the status metron answered. */
    public Status sendRaw(byte[] message) {
        MethodDescriptor<byte[], byte[]> raw = RawBytes.of(IngressGrpc.getSendMethod());
        try {
            ClientCalls.blockingUnaryCall(channel, raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), message);
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    /** One {@code BatchSender} stream carrying the given batches; completes when metron answers. */
    public CompletableFuture<Void> batchSender(List<List<Envelope>> batches) {
        Answer answer = new Answer();
        StreamObserver<EnvelopeBatch> requests = IngressGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .batchSender(answer.observer());
        for (List<Envelope> batch : batches) {
            requests.onNext(EnvelopeBatch.newBuilder().addAllBatch(batch).build());
        }
        requests.onCompleted();
        return answer.done;
    }

    /** One {@code Sender} stream carrying one envelope per message; completes when metron answers. */
    public CompletableFuture<Void> sender(List<Envelope> envelopes) {
        Answer answer = new Answer();
        StreamObserver<Envelope> requests = IngressGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .sender(answer.observer());
        envelopes.forEach(requests::onNext);
        requests.onCompleted();
        return answer.done;
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(channel, 1_000);
    }

    private static final class Answer {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        <T> StreamObserver<T> observer() {
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
}
