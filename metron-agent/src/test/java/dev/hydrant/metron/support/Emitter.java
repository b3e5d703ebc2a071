package dev.hydrant.metron.support;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.grpc.RawBytes;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.grpc.StreamCompletion;
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
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<EnvelopeBatch> requests = IngressGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .batchSender(StreamCompletion.into(done));
        for (List<Envelope> batch : batches) {
            requests.onNext(EnvelopeBatch.newBuilder().addAllBatch(batch).build());
        }
        requests.onCompleted();
        return done;
    }

    /** One {@code Sender} stream carrying one envelope per message; completes when metron answers. */
    public CompletableFuture<Void> sender(List<Envelope> envelopes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<Envelope> requests = IngressGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .sender(StreamCompletion.into(done));
        envelopes.forEach(requests::onNext);
        requests.onCompleted();
        return done;
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(channel, 1_000);
    }
}
