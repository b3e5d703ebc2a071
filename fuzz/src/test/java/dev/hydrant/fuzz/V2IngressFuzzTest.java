package dev.hydrant.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.doppler.cache.RecentEnvelopeCache;
import dev.hydrant.doppler.ingress.Intake;
import dev.hydrant.doppler.routing.Router;
import dev.hydrant.metron.ingress.IngressServer;
import dev.hydrant.metron.ingress.IngressService;
import dev.hydrant.metron.tagging.CounterTotals;
import dev.hydrant.metron.tagging.EnvelopeTagger;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.grpc.RawBytes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * v2 ingress (docs/wire.md section 1) as an emitter reaches it: the bytes of one request message, sent over
 * mutual TLS to a Metron agent's {@link IngressServer} and to a Doppler's ingress (built as the Doppler builds
 * it), by Send, BatchSender or Sender. Bytes that are an envelope batch (an envelope for Sender) are accepted with
 * OK and counted envelope by envelope; any other bytes end that call alone with INVALID_ARGUMENT. Never another
 * status: an exception in our handlers would surface as UNKNOWN or INTERNAL. Metron and the Doppler read envelopes
 * as their bytes ({@link dev.hydrant.api.wire.EncodedEnvelope}), which takes exactly what protobuf's parser takes.
 */
class V2IngressFuzzTest {

    private static final MethodDescriptor<byte[], byte[]> SEND = RawBytes.of(IngressGrpc.getSendMethod());
    private static final MethodDescriptor<byte[], byte[]> BATCH_SENDER = RawBytes.of(IngressGrpc.getBatchSenderMethod());
    private static final MethodDescriptor<byte[], byte[]> SENDER = RawBytes.of(IngressGrpc.getSenderMethod());

    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static final Counter metronIngress = registry.counter("metron.ingress");
    private static final Counter dopplerIngress = registry.counter("doppler.ingress");
    @TempDir
    static Path directory;
    private static IngressServer metron;
    private static Server doppler;
    private static ManagedChannel toMetron;
    private static ManagedChannel toDoppler;

    @BeforeAll
    static void metronAndDopplerIngress() throws IOException {
        CertificateAuthority ca = CertificateAuthority.create("fuzz-ca");
        TlsFiles metronFiles = ca.issueFiles(Files.createDirectories(directory.resolve("metron")), "metron");
        TlsFiles dopplerFiles = ca.issueFiles(Files.createDirectories(directory.resolve("doppler")), "doppler");
        TlsFiles client = ca.issueFiles(Files.createDirectories(directory.resolve("client")), "emitter");

        DropOldestBuffer<EncodedEnvelope> buffer = new DropOldestBuffer<>(1000, dropped -> { });
        IngressService metronService = new IngressService(new EnvelopeTagger(Map.of("deployment", "fuzz"),
                new CounterTotals(1000, resets -> { })), buffer, metronIngress);
        metron = new IngressServer("127.0.0.1", 0, metronFiles, "hydrant.metron", metronService,
                MalformedRequests.registeredIn(new SimpleMeterRegistry()));
        metron.start();

        MalformedRequests guard = MalformedRequests.registeredIn(new SimpleMeterRegistry());
        dev.hydrant.doppler.ingress.IngressService dopplerService = new dev.hydrant.doppler.ingress.IngressService(
                new Intake(new Router(10), new RecentEnvelopeCache(100, 1 << 20, 100), dopplerIngress));
        doppler = guard.watch(GrpcTransport.server("127.0.0.1", 0, dopplerFiles, "hydrant.doppler.tls"))
                .addService(guard.guard(dopplerService))
                .build()
                .start();

        toMetron = GrpcTransport.channel("127.0.0.1:" + metron.port(), "metron", client, "fuzz.tls").build();
        toDoppler = GrpcTransport.channel("127.0.0.1:" + doppler.getPort(), "doppler", client, "fuzz.tls").build();
    }

    @AfterAll
    static void stop() {
        GrpcTransport.shutdown(toMetron, 1000);
        GrpcTransport.shutdown(toDoppler, 1000);
        metron.stop();
        GrpcTransport.shutdown(doppler, 1000);
    }

    @FuzzTest(maxDuration = "10s")
    void anyRequestMessageIsAcceptedAndCountedOrRefusedAlone(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int route = input[0] & 3;
        byte[] message = Arrays.copyOfRange(input, 1, input.length);
        boolean toTheDoppler = (input[0] & 4) != 0;
        MethodDescriptor<byte[], byte[]> method = route == 0 ? SEND : route == 1 ? BATCH_SENDER : SENDER;
        int envelopes = envelopes(message, method == SENDER);
        Counter counted = toTheDoppler ? dopplerIngress : metronIngress;
        double before = counted.count();

        Status status = call(toTheDoppler ? toDoppler : toMetron, method, message);

        if (envelopes < 0) {
            assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        } else {
            assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.OK);
            assertThat(counted.count() - before).isEqualTo(envelopes);
        }
    }

    /** How many envelopes the message carries, -1 when it does not parse. */
    private static int envelopes(byte[] message, boolean single) {
        try {
            if (single) {
                Envelope.parseFrom(message);
                return 1;
            }
            return EnvelopeBatch.parseFrom(message).getBatchCount();
        } catch (InvalidProtocolBufferException notAMessage) {
            return -1;
        }
    }

    /** One request message on a new call, half-closed; the status the call ends with. */
    private static Status call(ManagedChannel channel, MethodDescriptor<byte[], byte[]> method, byte[] message)
            throws Exception {
        ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(Patience.WAIT.toSeconds(), TimeUnit.SECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(message);
        call.halfClose();
        return closed.get(Patience.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
}
