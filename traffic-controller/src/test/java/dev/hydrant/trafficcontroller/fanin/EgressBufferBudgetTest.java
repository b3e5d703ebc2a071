package dev.hydrant.trafficcontroller.fanin;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.grpc.ReceivedBatches;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients that stall together hold no more than egress-buffer-bytes in the Traffic Controller,
 * whatever each client's own client-buffer-bytes allows: readers that never read (gRPC readers that never
 * ask for a message, so that flow control stops the writes to them; websocket and SSE readers on sockets
 * never read) are each sent many envelopes of about 1 MiB; the bytes all client buffers hold
 * ({@code client_buffers.bytes}) stay within the budget, what the websocket and SSE connections are handed
 * stays a few envelopes (not the hundreds their send pipelines would ask for), every envelope is either
 * sent or counted as dropped, and a client that reads still receives.
 */
class EgressBufferBudgetTest {

    private static final int MIB = 1024 * 1024;
    private static final long BUDGET = 12L * MIB;
    private static final int STALLED = 4;
    private static final int BATCHES = 5;
    private static final int PER_BATCH = 4;

    private static final int SENT = BATCHES * PER_BATCH;
    /** Envelopes handed to one stalled websocket or SSE connection at most: its socket buffers' and one MiB. */
    private static final int TAKEN_BY_A_CONNECTION = 12;

    @TempDir
    Path dir;
    TrafficControllerRunner tc;
    final List<ManagedChannel> channels = new ArrayList<>();
    final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws Exception {
        // client-buffer-bytes stays at its default (16 MiB): alone, a client could hold more than the whole budget
        // the stalled websocket readers are not cut as slow consumers while the test looks at them
        tc = new TrafficControllerRunner(dir, 1, Map.of("hydrant.traffic-controller.egress-buffer-bytes", BUDGET,
                "hydrant.traffic-controller.slow-consumer-timeout", "10m"));
    }

    @AfterEach
    void stop() {
        sampler.shutdownNow();
        channels.forEach(channel -> GrpcTransport.shutdown(channel, 1_000));
        tc.close();
    }

    private ManagedChannel channel() {
        // one connection per client: a stalled stream must not hold back the others' connection window,
        // which is fixed (not tuned up as data flows) so that a stalled reader's transport takes little
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + tc.grpcPort(), "localhost", tc.clientTls, "test.tls")
                .maxInboundMessageSize(16 * MIB).flowControlWindow(MIB).build();
        channels.add(channel);
        return channel;
    }

    private static EgressBatchRequest logsOf(String sourceId) {
        return EgressBatchRequest.newBuilder()
                .addSelectors(Selector.newBuilder().setSourceId(sourceId).setLog(LogSelector.getDefaultInstance())).build();
    }

    /** A reader that takes the stream's headers and never asks for a message. */
    private ClientCall<EgressBatchRequest, EnvelopeBatch> stalledReader(EgressBatchRequest request) {
        ClientCall<EgressBatchRequest, EnvelopeBatch> call =
                channel().newCall(EgressGrpc.getBatchedReceiverMethod(), CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() { }, new Metadata());
        call.sendMessage(request);
        call.halfClose();
        return call;
    }

    private double held() {
        return tc.gauge(ProxyMetrics.CLIENT_BUFFER_BYTES.name());
    }

    @Test
    void stalledClientsOfLargeEnvelopes_holdNoMoreThanTheBudgetTogether_everyLossCounted_aReaderStillReceives() {
        EgressBatchRequest request = logsOf("big");
        List<ClientCall<EgressBatchRequest, EnvelopeBatch>> stalled = new ArrayList<>();
        for (int i = 0; i < STALLED; i++) {
            stalled.add(stalledReader(request));
        }
        ReceivedBatches reader = new ReceivedBatches();
        EgressGrpc.newStub(channel()).batchedReceiver(request, reader);
        await().atMost(PATIENCE).until(() -> tc.dopplerSubscriptions() == STALLED + 1);
        assertThat(tc.meters().find(ProxyMetrics.CLIENT_BUFFER_BYTES.name()).gauge()).as("the gauge").isNotNull();
        AtomicLong most = new AtomicLong();
        sampler.scheduleAtFixedRate(() -> most.accumulateAndGet((long) held(), Math::max), 0, 5, TimeUnit.MILLISECONDS);

        emitMebibyteLogs(BATCHES);
        long last = SENT - 1;
        long offered = (long) (STALLED + 1) * SENT;

        await().atMost(PATIENCE).until(() -> reader.envelopes().stream().anyMatch(e -> e.getTimestamp() == last));
        await().atMost(PATIENCE).until(() -> tc.counter("ingress") == offered);
        // each stalled buffer is full to its share, about 2 envelopes of the 20 it was sent
        await().atMost(PATIENCE).until(() -> held() >= STALLED * MIB);
        most.accumulateAndGet((long) held(), Math::max);
        assertThat(most.get()).as("bytes held by all client buffers at most").isLessThanOrEqualTo(BUDGET);
        assertThat(tc.counter("dropped", "direction", "egress")).isPositive();
        assertThat(reader.ended).isNotDone();

        stalled.forEach(call -> call.cancel("done", null));
        channels.forEach(ManagedChannel::shutdownNow);
        await().atMost(PATIENCE).until(() -> tc.dopplerSubscriptions() == 0 && held() == 0);
        // what the buffers held at the end counts as dropped too: every envelope either went out or is counted
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                tc.counter("egress", "endpoint", "grpc") + tc.counter("dropped", "direction", "egress"))
                .isEqualTo((double) offered));
    }

    /** A plain socket that sends {@code request} and never reads, with a small receive window. */
    private static Socket stalledSocket(int port, String request) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private void emitMebibyteLogs(int batches) {
        String mebibyte = "x".repeat(MIB);
        for (int b = 0; b < batches; b++) {
            List<Envelope> batch = new ArrayList<>();
            for (int i = 0; i < PER_BATCH; i++) {
                int n = b * PER_BATCH + i;
                batch.add(log("big", n + " " + mebibyte, n));
            }
            tc.dopplers.get(0).emit(batch);
        }
    }

    @Test
    void stalledWebsocketAndSseReaders_keepTheirEnvelopesInTheirBuffers_withinTheBudget_everyLossCounted()
            throws Exception {
        int port = tc.httpPort();
        String token = tc.issuer.admin();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            sockets.add(stalledSocket(port, "GET /v2/read?source_id=big&log HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n"));
            sockets.add(stalledSocket(port, "GET /apps/big/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: bearer "
                    + token + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        }
        await().atMost(PATIENCE).until(() -> tc.dopplerSubscriptions() == sockets.size());
        AtomicLong most = new AtomicLong();
        sampler.scheduleAtFixedRate(() -> most.accumulateAndGet((long) held(), Math::max), 0, 5, TimeUnit.MILLISECONDS);

        emitMebibyteLogs(3 * BATCHES);

        long offered = (long) sockets.size() * 3 * SENT;
        await().atMost(PATIENCE).until(() -> tc.counter("ingress") == offered);
        // each stalled buffer is full to its share (3 MiB), the rest counted as dropped
        await().atMost(PATIENCE).until(() -> held() >= sockets.size() * MIB
                && tc.counter("dropped", "direction", "egress") > 0);
        most.accumulateAndGet((long) held(), Math::max);
        assertThat(most.get()).as("bytes held by all client buffers at most").isLessThanOrEqualTo(BUDGET);
        // handed to the connections: what their socket buffers and one more MiB took, not all 60
        assertThat(tc.counter("egress", "endpoint", "sse")).as("sse").isLessThanOrEqualTo(2 * TAKEN_BY_A_CONNECTION);
        assertThat(tc.counter("egress", "endpoint", "app_stream")).as("app_stream")
                .isLessThanOrEqualTo(2 * TAKEN_BY_A_CONNECTION);

        for (Socket socket : sockets) {
            socket.close();
        }
        await().atMost(PATIENCE).until(() -> tc.dopplerSubscriptions() == 0 && held() == 0);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(tc.counter("egress", "endpoint", "sse")
                + tc.counter("egress", "endpoint", "app_stream") + tc.counter("dropped", "direction", "egress"))
                .isEqualTo((double) offered));
    }
}
