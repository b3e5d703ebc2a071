package dev.hydrant.metron.support;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;

/**
 * A test-only Doppler that takes what it is sent but confirms nothing until told: a real gRPC server with mutual
 * TLS serving {@code Ingress.BatchSender}, recording every envelope as it arrives, and keeping each stream's
 * answer (the {@code BatchSenderResponse} that confirms what the stream carried) until {@link #release()}.
 */
public final class HoldingDoppler implements AutoCloseable {

    private final ConcurrentLinkedQueue<Envelope> received = new ConcurrentLinkedQueue<>();
    /** Streams closed by the agent and not yet answered; guarded by this. */
    private final List<StreamObserver<BatchSenderResponse>> held = new ArrayList<>();
    private final Server server;
    private boolean holding = true;

    private HoldingDoppler(TlsFiles tls) {
        try {
            this.server = GrpcTransport.server("127.0.0.1", 0, tls, "test.doppler.tls").addService(new Service())
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on a free port of 127.0.0.1, holding its answers. */
    public static HoldingDoppler start(TlsFiles tls) {
        return new HoldingDoppler(tls);
    }

    /** {@code host:port}, as metron's settings name it. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Envelopes received with this source id, confirmed or not. */
    public List<Envelope> from(String sourceId) {
        return received.stream().filter(e -> e.getSourceId().equals(sourceId)).toList();
    }

    /** Streams waiting for their answer. */
    public synchronized int held() {
        return held.size();
    }

    /** Answers every stream held, and from now on every stream as it closes. */
    public void release() {
        List<StreamObserver<BatchSenderResponse>> answering;
        synchronized (this) {
            holding = false;
            answering = new ArrayList<>(held);
            held.clear();
        }
        answering.forEach(HoldingDoppler::answer);
    }

    private static void answer(StreamObserver<BatchSenderResponse> response) {
        response.onNext(BatchSenderResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(server, 1_000);
    }

    private final class Service extends IngressGrpc.IngressImplBase {

        @Override
        public StreamObserver<EnvelopeBatch> batchSender(StreamObserver<BatchSenderResponse> response) {
            return new StreamObserver<>() {
                @Override
                public void onNext(EnvelopeBatch batch) {
                    received.addAll(batch.getBatchList());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    synchronized (HoldingDoppler.this) {
                        if (holding) {
                            held.add(response);
                            return;
                        }
                    }
                    answer(response);
                }
            };
        }
    }
}
