package dev.hydrant.doppler;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static dev.hydrant.testsupport.envelopes.Selectors.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.buffer.BatchBytes;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.grpc.ReceivedBatches;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Doppler's {@code BatchedReceiver} batches are bounded in bytes as well as in count, so that a
 * subscriber with gRPC's default 4 MiB receive limit (a Go client's, for one) is never sent a batch
 * it must refuse, whatever the envelopes waiting for it together: one ingress batch of three 3 MiB
 * lines and ordinary ones reaches its buffer at once, and comes out in batches of at most
 * {@link BatchBytes#MAX_BATCH_BYTES}, each large line alone.
 */
class LargeEnvelopesEgressTest {

    private static final int MIB = 1024 * 1024;
    /** gRPC's default receive limit. */
    private static final int DEFAULT_CLIENT_LIMIT = 4 * MIB;

    @TempDir
    Path directory;

    @Test
    void largeEnvelopesArrivingTogether_reachAFourMebibyteSubscriberInBatchesWithinTheBound() throws Exception {
        try (TestDoppler doppler = TestDoppler.start(directory)) {
            ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + doppler.grpcPort(), "doppler",
                    doppler.clientFiles, "test.tls").maxInboundMessageSize(DEFAULT_CLIENT_LIMIT).build();
            try {
                ReceivedBatches batches = new ReceivedBatches();
                EgressGrpc.newStub(channel).batchedReceiver(
                        EgressBatchRequest.newBuilder().addSelectors(logs("app-large")).build(), batches);
                doppler.awaitSubscriptions(1);
                List<Envelope> sent = new ArrayList<>();
                IntStream.range(0, 5).forEach(i -> sent.add(log("app-large", "small " + i)));
                IntStream.range(0, 3).forEach(i -> sent.add(log("app-large", "large " + i + " " + "x".repeat(3 * MIB))));
                IntStream.range(5, 10).forEach(i -> sent.add(log("app-large", "small " + i)));

                Ingress.send(doppler, sent); // one ingress batch of 9 MiB: into the subscriber's buffer at once

                await().atMost(WAIT).until(() -> batches.envelopes().size() == sent.size() || batches.ended.isDone());
                assertThat(batches.ended).as("the subscription is not refused a batch").isNotDone();
                assertThat(batches.envelopes()).extracting(e -> text(e))
                        .containsExactlyElementsOf(sent.stream().map(e -> text(e)).toList());
                assertThat(batches.received).allSatisfy(batch -> assertThat(
                        batch.getSerializedSize() <= BatchBytes.MAX_BATCH_BYTES || batch.getBatchCount() == 1)
                        .as("a batch of %d envelopes, %d bytes", batch.getBatchCount(), batch.getSerializedSize())
                        .isTrue());
                assertThat(doppler.counter("dropped", "direction", "egress")).isZero();
            } finally {
                GrpcTransport.shutdown(channel, 1_000);
            }
        }
    }
}
