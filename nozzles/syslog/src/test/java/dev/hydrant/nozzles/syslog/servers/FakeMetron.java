package dev.hydrant.nozzles.syslog.servers;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.SendResponse;

/** A Metron agent's v2 ingress ({@code Send}, mutual TLS) on a port of its own, keeping what it is sent. */
public final class FakeMetron implements AutoCloseable {

    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private final Server server;

    public FakeMetron(TlsFiles tls) throws IOException {
        server = GrpcTransport.server("127.0.0.1", 0, tls, "test.metron.tls")
                .addService(new IngressGrpc.IngressImplBase() {
                    @Override
                    public void send(EnvelopeBatch batch, StreamObserver<SendResponse> response) {
                        received.addAll(batch.getBatchList());
                        response.onNext(SendResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    public List<Envelope> received() {
        return received;
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(server, 1000);
    }
}
