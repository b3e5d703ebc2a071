package dev.hydrant.metron;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.logs;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.Emitter;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches to the Doppler are bounded in bytes as well as in count: large envelopes that sit in
 * the agent's buffer together, each within the 10 MiB a gRPC message may carry, never make a batch
 * the Doppler refuses, which would lose them and every envelope of their stream. The envelopes are
 * buffered while no Doppler listens, so that they are all there at once when one appears.
 */
class LargeEnvelopesTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void twoNineMebibyteEnvelopesBufferedTogether_reachTheDopplerWithTheOthers_nothingRefusedOrDropped()
            throws Exception {
        TestPki pki = new TestPki(dir);
        List<Envelope> sent = new ArrayList<>(logs("app-big", "before ", 0, 25));
        sent.add(log("app-big", "large one " + "x".repeat(9 * MIB)));
        sent.add(log("app-big", "large two " + "y".repeat(9 * MIB)));
        sent.addAll(logs("app-big", "after ", 0, 25));
        try (Socket notListening = boundNotListening();
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", "127.0.0.1:" + notListening.getLocalPort()));
             Emitter emitter = metron.emitter()) {
            for (Envelope envelope : sent) {
                emitter.send(List.of(envelope)); // each well within the 10 MiB a message may carry
            }
            assertThat(metron.ingress()).isEqualTo(sent.size());
            assertThat(metron.bufferFill()).isEqualTo(sent.size());

            int port = notListening.getLocalPort();
            notListening.close();
            try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, port)) {
                await().atMost(WAIT).until(() -> metron.egress() + metron.dropped("egress") == sent.size());
                assertThat(metron.dropped("egress")).isZero();
                assertThat(metron.egress()).isEqualTo(sent.size());
                assertThat(doppler.from("app-big")).extracting(e -> text(e))
                        .containsExactlyInAnyOrderElementsOf(sent.stream().map(e -> text(e)).toList());
                assertThat(doppler.largestBatchBytes()).as("no batch holds both large envelopes")
                        .isLessThan(9 * MIB + 64 * 1024);
                assertThat(doppler.brokenStreams()).isZero();
            }
        }
    }

    @Test
    void anEnvelopeThatTaggingTookOverTheDopplersLimit_isCountedAsDropped_andTheOthersOfItsStreamArrive()
            throws Exception {
        TestPki pki = new TestPki(dir);
        Envelope atTheLimit = log("app-edge", "at the limit ");
        int padding = GrpcTransport.MAX_MESSAGE_BYTES - 64;
        padding += GrpcTransport.MAX_MESSAGE_BYTES - batchBytes(withPadding(atTheLimit, padding));
        atTheLimit = withPadding(atTheLimit, padding);
        assertThat(batchBytes(atTheLimit)).isEqualTo(GrpcTransport.MAX_MESSAGE_BYTES);
        List<Envelope> others = logs("app-edge", "line ", 0, 40);
        try (Socket notListening = boundNotListening();
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", "127.0.0.1:" + notListening.getLocalPort(),
                     "hydrant.metron.deployment", "a-deployment-tag-that-makes-it-too-big"));
             Emitter emitter = metron.emitter()) {
            emitter.send(others.subList(0, 20));
            emitter.send(List.of(atTheLimit)); // accepted: exactly the 10 MiB a message may carry
            emitter.send(others.subList(20, 40));
            assertThat(metron.ingress()).isEqualTo(41);

            int port = notListening.getLocalPort();
            notListening.close();
            try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, port)) {
                await().atMost(WAIT).until(() -> metron.egress() + metron.dropped("egress") == 41);
                assertThat(metron.dropped("egress")).as("the envelope no Doppler would take").isEqualTo(1);
                assertThat(doppler.from("app-edge")).extracting(e -> text(e))
                        .containsExactlyInAnyOrderElementsOf(others.stream().map(e -> text(e)).toList());
                assertThat(doppler.largestBatchBytes()).isLessThanOrEqualTo(GrpcTransport.MAX_MESSAGE_BYTES);
            }
        }
    }

    /** A port that is bound, so no one else takes it, but not listening: connections to it are refused. */
    private static Socket boundNotListening() throws Exception {
        Socket socket = new Socket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    private static Envelope withPadding(Envelope envelope, int padding) {
        return envelope.toBuilder().setLog(envelope.getLog().toBuilder()
                .setPayload(com.google.protobuf.ByteString.copyFromUtf8("at the limit " + "z".repeat(padding)))).build();
    }

    private static int batchBytes(Envelope envelope) {
        return EnvelopeBatch.newBuilder().addBatch(envelope).build().getSerializedSize();
    }
}
