package dev.hydrant.trafficcontroller.fanin;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.api.json.EnvelopeJson;
import dev.hydrant.plumbing.buffer.BatchBytes;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.grpc.ReceivedBatches;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import io.grpc.ManagedChannel;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client is sent at once is bounded in bytes as well as in count, whatever waits in its
 * buffer together: a Doppler batch of three 3 MiB lines and ordinary ones (9 MiB, within the 10 MiB
 * the fan-in reads) reaches a gRPC client with gRPC's default 4 MiB receive limit in batches of at
 * most {@link BatchBytes#MAX_BATCH_BYTES} (each large line alone), and an SSE reader in events no
 * longer than the 10 MiB line the SDK reads.
 */
class LargeEnvelopesEgressTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of());
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    private static List<Envelope> smallAndLarge(String sourceId) {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            envelopes.add(log(sourceId, "small " + i, i));
        }
        for (int i = 0; i < 3; i++) {
            envelopes.add(log(sourceId, "large " + i + " " + "x".repeat(3 * MIB), 10 + i));
        }
        for (int i = 5; i < 10; i++) {
            envelopes.add(log(sourceId, "small " + i, 20 + i));
        }
        return envelopes;
    }

    private static List<String> texts(List<Envelope> envelopes) {
        return envelopes.stream().map(e -> e.getLog().getPayload().toStringUtf8()).toList();
    }

    @Test
    void aGrpcClientWithTheDefaultFourMebibyteLimit_getsLargeEnvelopesInBatchesWithinTheBound() throws Exception {
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + tc.grpcPort(), "localhost", tc.clientTls, "test.tls")
                .maxInboundMessageSize(4 * MIB).build();
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        try {
            ReceivedBatches batches = new ReceivedBatches();
            Selector logs = Selector.newBuilder().setSourceId("app-grpc").setLog(LogSelector.getDefaultInstance()).build();
            context.run(() -> EgressGrpc.newStub(channel).batchedReceiver(
                    EgressBatchRequest.newBuilder().addSelectors(logs).build(), batches));
            await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 1);
            List<Envelope> sent = smallAndLarge("app-grpc");

            tc.dopplers.get(0).emit(sent); // one batch from the Doppler: into the client's buffer at once

            await().atMost(WAIT).until(() -> batches.envelopes().size() == sent.size() || batches.ended.isDone());
            assertThat(batches.ended).as("the client is not sent a batch it must refuse").isNotDone();
            assertThat(texts(batches.envelopes())).containsExactlyElementsOf(texts(sent));
            assertThat(batches.received).allSatisfy(batch -> assertThat(
                    batch.getSerializedSize() <= BatchBytes.MAX_BATCH_BYTES || batch.getBatchCount() == 1)
                    .as("a batch of %d envelopes, %d bytes", batch.getBatchCount(), batch.getSerializedSize())
                    .isTrue());
        } finally {
            context.cancel(null);
            GrpcTransport.shutdown(channel, 1_000);
            await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 0);
        }
    }

    @Test
    void anSseReader_getsLargeEnvelopesInEventsNoLongerThanTheLineTheSdkReads() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort()
                        + "/v2/read?source_id=app-sse&log"))
                .header("Authorization", "bearer " + tc.issuer.reader("app-sse")).build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        List<String> data = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().filter(line -> line.startsWith("data: {")).forEach(line -> data.add(line.substring(6)));
            } catch (UncheckedIOException e) {
                // the test hung up
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 1);
            List<Envelope> sent = smallAndLarge("app-sse");

            tc.dopplers.get(0).emit(sent);

            await().atMost(WAIT).until(() -> data.stream()
                    .mapToInt(event -> EnvelopeJson.batchFromJson(event).getBatchCount()).sum() == sent.size());
            List<Envelope> received = data.stream()
                    .flatMap(event -> EnvelopeJson.batchFromJson(event).getBatchList().stream()).toList();
            assertThat(texts(received)).containsExactlyElementsOf(texts(sent));
            assertThat(data).allSatisfy(event -> assertThat(event.length()).isLessThan(10 * MIB));
        } finally {
            response.body().close();
            await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 0);
        }
    }
}
