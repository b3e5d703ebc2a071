package dev.hydrant.metron.support;

import dev.hydrant.plumbing.grpc.BindRetry;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;

/**
 * A test-only Doppler: a real gRPC server with mutual TLS that serves {@code Ingress.BatchSender}
 * and records every envelope of every stream it accepts. It can be stopped (connections cut) and
 * started again on the same port, and told to break its next streams: such a stream is answered
 * with an error on its first batch and what it carried is not recorded (it is lost).
 */
public final class RecordingDoppler implements AutoCloseable {

    private final TlsFiles tls;
    private final String host;
    private final ConcurrentLinkedQueue<Envelope> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger streamsToBreak = new AtomicInteger();
    private final AtomicInteger brokenStreams = new AtomicInteger();
    private final AtomicLong largestBatchBytes = new AtomicLong();
    private volatile Server server;
    private volatile int port;

    private RecordingDoppler(TlsFiles tls, String host) {
        this.tls = tls;
        this.host = host;
    }

    /** Starts on 127.0.0.1:{@code port} (0 for a free one). */
    public static RecordingDoppler start(TlsFiles tls, int port) {
        return start(tls, "127.0.0.1", port);
    }

    /** Starts on {@code host:port} (0 for a free one). */
    public static RecordingDoppler start(TlsFiles tls, String host, int port) {
        RecordingDoppler doppler = new RecordingDoppler(tls, host);
        doppler.listen(port);
        return doppler;
    }

    private synchronized void listen(int onPort) {
        Server built;
        try {
            // started again on its port, it waits while the old listener goes, as a real Doppler does
            built = BindRetry.start(() -> GrpcTransport.server(host, onPort, tls, "test.doppler.tls")
                    .addService(new Service())
                    .build(), BindRetry.DEFAULT_PATIENCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = built;
        port = built.getPort();
    }

    /** Kills the server: open streams are cut, new connections refused. */
    public synchronized void stop() {
        Server running = server;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Starts again on the same port. */
    public synchronized void restart() {
        listen(port);
    }

    public int port() {
        return port;
    }

    /** {@code host:port}, as metron's settings name it. */
    public String address() {
        return host + ":" + port;
    }

    public List<Envelope> received() {
        return List.copyOf(received);
    }

    public int count() {
        return received.size();
    }

    /** Envelopes received with this source id. */
    public List<Envelope> from(String sourceId) {
        return received.stream().filter(e -> e.getSourceId().equals(sourceId)).toList();
    }

    /** The next {@code n} streams fail on their first batch, losing what they carried. */
    public void breakNextStreams(int n) {
        streamsToBreak.set(n);
    }

    public int brokenStreams() {
        return brokenStreams.get();
    }

    /** The serialized size of the largest batch received. */
    public long largestBatchBytes() {
        return largestBatchBytes.get();
    }

    @Override
    public void close() {
        stop();
    }

    private final class Service extends IngressGrpc.IngressImplBase {

        @Override
        public StreamObserver<EnvelopeBatch> batchSender(StreamObserver<BatchSenderResponse> response) {
            return new StreamObserver<>() {
                private boolean started;
                private boolean broken;

                @Override
                public void onNext(EnvelopeBatch batch) {
                    if (!started) {
                        started = true;
                        if (streamsToBreak.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                            broken = true;
                            brokenStreams.incrementAndGet();
                            response.onError(Status.UNAVAILABLE.withDescription("stream broken by the test").asException());
                        }
                    }
                    if (!broken) {
                        largestBatchBytes.accumulateAndGet(batch.getSerializedSize(), Math::max);
                        received.addAll(batch.getBatchList());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    if (!broken) {
                        response.onNext(BatchSenderResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                }
            };
        }
    }
}
