package dev.hydrant.metron.support;

import com.google.protobuf.CodedInputStream;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.grpc.RawBytes;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.cloudfoundry.loggregator.v2.IngressGrpc;

/**
 * A test-only Doppler that keeps what arrives as bytes: a real gRPC server with mutual TLS serving
 * {@code Ingress.BatchSender} with a raw-bytes marshaller, which splits each batch message into the encodings
 * of its envelopes (field 1 of {@code EnvelopeBatch}) with protobuf's own reader and keeps them as they came.
 */
public final class RawDoppler implements AutoCloseable {

    private final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
    private final Server server;

    private RawDoppler(TlsFiles tls) {
        ServerServiceDefinition service = ServerServiceDefinition.builder(IngressGrpc.SERVICE_NAME)
                .addMethod(RawBytes.of(IngressGrpc.getBatchSenderMethod()),
                        ServerCalls.asyncClientStreamingCall(this::stream))
                .build();
        try {
            this.server = GrpcTransport.server("127.0.0.1", 0, tls, "test.doppler.tls").addService(service).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RawDoppler start(TlsFiles tls) {
        return new RawDoppler(tls);
    }

    /** {@code host:port}, as metron's settings name it. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The encodings of the envelopes received, each as it was framed into its batch. */
    public List<byte[]> received() {
        return List.copyOf(received);
    }

    private StreamObserver<byte[]> stream(StreamObserver<byte[]> response) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] batch) {
                split(batch);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                response.onNext(new byte[0]); // an empty BatchSenderResponse
                response.onCompleted();
            }
        };
    }

    private void split(byte[] batch) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(batch);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == (1 << 3 | 2)) {
                    received.add(in.readByteArray());
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(server, 1_000);
    }
}
