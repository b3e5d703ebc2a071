package dev.hydrant.doppler.cache;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.ReadResponse;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RecentEnvelopes.Read} over a real mutual-TLS server: however much a source's cache holds,
 * the answer comes in pieces that each stay within {@link PieceSender#PIECE_BYTES}, an envelope
 * bigger than that in a piece of its own, in the order asked for.
 */
class RecentEnvelopesServiceTest {

    @TempDir
    static Path dir;
    static RecentEnvelopeCache cache = new RecentEnvelopeCache(1000, 256L * 1024 * 1024, 100);
    static Server server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca");
        TlsFiles doppler = ca.issueFiles(dir.resolve("doppler"), "doppler");
        TlsFiles reader = ca.issueFiles(dir.resolve("reader"), "traffic-controller");
        server = GrpcTransport.server("127.0.0.1", 0, doppler, "test.doppler.tls")
                .addService(new RecentEnvelopesService(cache)).build().start();
        channel = GrpcTransport.channel("127.0.0.1:" + server.getPort(), "doppler", reader, "test.reader.tls").build();
    }

    @AfterAll
    static void stop() {
        GrpcTransport.shutdown(channel, 500);
        GrpcTransport.shutdown(server, 500);
    }

    private static List<ReadResponse> read(ReadRequest request) {
        List<ReadResponse> pieces = new ArrayList<>();
        RecentEnvelopesGrpc.newBlockingStub(channel).read(request).forEachRemaining(pieces::add);
        return pieces;
    }

    private static List<Envelope> envelopes(List<ReadResponse> pieces) {
        return pieces.stream().flatMap(piece -> piece.getEnvelopes().getBatchList().stream()).toList();
    }

    private static Envelope padded(String sourceId, String text, int padding, long timestamp) {
        byte[] pad = new byte[padding];
        Arrays.fill(pad, (byte) '.');
        Envelope envelope = log(sourceId, text, timestamp);
        return envelope.toBuilder().setLog(envelope.getLog().toBuilder()
                .setPayload(ByteString.copyFromUtf8(text).concat(ByteString.copyFrom(pad)))).build();
    }

    @Test
    void aLargeAnswer_comesInPiecesOfAtMostOneMebibyte_inTheOrderAskedFor() {
        List<Envelope> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sent.add(padded("many", "line " + i, 10 * 1024, 1_000L * (i + 1)));
        }
        cache.add(sent.stream().map(EncodedEnvelope::of).toList());

        List<ReadResponse> pieces = read(ReadRequest.newBuilder().setSourceId("many").setLimit(1000).build());
        assertThat(pieces).hasSizeGreaterThanOrEqualTo(10);
        assertThat(pieces).allSatisfy(piece ->
                assertThat(piece.getSerializedSize()).isLessThanOrEqualTo(PieceSender.PIECE_BYTES + 16));
        assertThat(envelopes(pieces)).containsExactlyElementsOf(sent);

        List<Envelope> descending = envelopes(read(ReadRequest.newBuilder().setSourceId("many").setLimit(3)
                .setDescending(true).build()));
        assertThat(descending).containsExactly(sent.get(999), sent.get(998), sent.get(997));
    }

    @Test
    void anEnvelopeBiggerThanAPiece_comesInAPieceOfItsOwn_betweenTheOthers() {
        Envelope big = padded("big", "big", 9 * 1024 * 1024, 2_000L);
        List<Envelope> sent = List.of(log("big", "before", 1_000L), big, log("big", "after", 3_000L),
                log("big", "last", 4_000L));
        cache.add(sent.stream().map(EncodedEnvelope::of).toList());

        List<ReadResponse> pieces = read(ReadRequest.newBuilder().setSourceId("big").build());
        assertThat(pieces).extracting(piece -> piece.getEnvelopes().getBatchCount()).containsExactly(1, 1, 2);
        assertThat(envelopes(pieces)).containsExactlyElementsOf(sent);
    }

    @Test
    void anEmptyAnswer_isOneEmptyPiece() {
        List<ReadResponse> pieces = read(ReadRequest.newBuilder().setSourceId("nothing here").build());
        assertThat(pieces).hasSize(1);
        assertThat(pieces.get(0).getEnvelopes().getBatchCount()).isZero();
    }
}
