package dev.hydrant.trafficcontroller.fanin;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.EgressClient;
import dev.hydrant.trafficcontroller.support.SseSocket;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** What every endpoint's client stream does alike: the Traffic Controller's own envelopes, and the release of a client. */
class ClientStreamTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final EgressBatchRequest LOGS = EgressBatchRequest.newBuilder()
            .addSelectors(Selector.newBuilder().setLog(LogSelector.getDefaultInstance())).build();

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of("hydrant.traffic-controller.sse-heartbeat", "1s"));
        channel = GrpcTransport.channel("127.0.0.1:" + tc.grpcPort(), "localhost", tc.clientTls, "test.tls").build();
    }

    @AfterEach
    void everyClientReleased() {
        await().atMost(PATIENCE).until(() -> tc.dopplerSubscriptions() == 0 && local().clients() == 0);
    }

    @AfterAll
    static void stop() {
        GrpcTransport.shutdown(channel, 500);
        tc.close();
    }

    private static LocalDelivery local() {
        return tc.context.getBean(LocalDelivery.class);
    }

    private static URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + tc.httpPort() + path);
    }

    @Test
    void theTrafficControllersOwnEnvelopes_reachWebsocketConsumers_asTheyReachSseAndGrpcClients() throws Exception {
        EgressBatchRequest ownCounters = EgressBatchRequest.newBuilder().addSelectors(Selector.newBuilder()
                .setSourceId("traffic_controller").setCounter(CounterSelector.getDefaultInstance())).build();
        try (V1Client websocket = V1Client.connect(ws("/firehose/own-envelopes"), tc.issuer.admin(), true);
             SseSocket sse = SseSocket.open(tc.httpPort(), "?source_id=traffic_controller&counter", tc.issuer.admin());
             EgressClient grpc = EgressClient.open(channel, ownCounters)) {
            await().atMost(PATIENCE).until(() -> local().clients() == 3);

            local().deliver(counter("traffic_controller", "own_meter", 7, 1));

            await().atMost(PATIENCE).until(() -> websocket.received.size() == 1
                    && sse.text().contains("own_meter") && grpc.received.size() == 1);
            assertThat(websocket.received.get(0).getCounterEvent().getName()).isEqualTo("own_meter");
            assertThat(websocket.received.get(0).getCounterEvent().getDelta()).isEqualTo(7);
            assertThat(grpc.received.get(0).getCounter().getName()).isEqualTo("own_meter");
        }
    }

    @Test
    void aWebsocketConsumerThatHangsUp_isReleasedOnce() throws Exception {
        releasedOnceEach("doppler_proxy.firehoses",
                () -> V1Client.connect(ws("/firehose/hanging-up"), tc.issuer.admin(), true));
        releasedOnceEach("doppler_proxy.app_streams",
                () -> V1Client.connect(ws("/apps/app-a/stream"), tc.issuer.reader("app-a"), true));
    }

    @Test
    void anSseReaderThatHangsUp_isReleasedOnce() throws Exception {
        releasedOnceEach("sse_streams", () -> SseSocket.open(tc.httpPort(), "?source_id=app-a&log", tc.issuer.admin()));
    }

    @Test
    void aGrpcClientThatCancels_isReleasedOnce() throws Exception {
        releasedOnceEach("grpc_streams", () -> EgressClient.open(channel, LOGS));
    }

    @Test
    void aClientStream_releasesWhatItTookOnce_howeverOftenAndHoweverItEnds() {
        ClientStreams streams = tc.context.getBean(ClientStreams.class);
        AtomicInteger gauge = new AtomicInteger();
        ClientStream stream = streams.open(LOGS, gauge);
        assertThat(gauge).hasValue(1);
        assertThat(local().clients()).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> tc.dopplerSubscriptions() == 1);

        Disposable reader = stream.batches().subscribe();
        reader.dispose();
        stream.close();
        stream.close();

        assertThat(stream.isClosed()).isTrue();
        assertThat(gauge).hasValue(0);
        assertThat(local().clients()).isZero();
        await().atMost(PATIENCE).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void whatAClientLeftInItsBuffer_isCountedAsDroppedWhenItGoes() {
        ClientStreams streams = tc.context.getBean(ClientStreams.class);
        ClientStream stream = streams.open(LOGS, new AtomicInteger());
        double droppedBefore = tc.counter("dropped", "direction", "egress");

        // no reader: the three logs wait in the client's buffer
        for (int i = 0; i < 3; i++) {
            local().deliver(TrafficControllerRunner.log("app-a", "never read " + i, i + 1));
        }
        stream.close();

        assertThat(tc.counter("dropped", "direction", "egress") - droppedBefore).isEqualTo(3);
    }

    /**
     * Two clients of one endpoint; the first hangs up and only its share is released (a second
     * release would take the other's count too); then the second, and nothing is left.
     */
    private static void releasedOnceEach(String gauge, Callable<AutoCloseable> connect) throws Exception {
        AutoCloseable first = connect.call();
        AutoCloseable second = connect.call();
        await().atMost(PATIENCE).until(() -> tc.gauge(gauge) == 2 && tc.dopplerSubscriptions() == 2
                && local().clients() == 2);

        first.close();
        await().atMost(PATIENCE).until(() -> tc.gauge(gauge) == 1 && tc.dopplerSubscriptions() == 1
                && local().clients() == 1);

        second.close();
        await().atMost(PATIENCE).until(() -> tc.gauge(gauge) == 0 && tc.dopplerSubscriptions() == 0
                && local().clients() == 0);
    }
}
