package dev.hydrant.trafficcontroller.fanin;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.EgressClient;
import dev.hydrant.trafficcontroller.support.SseSocket;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopping Traffic Controller ends every client's stream normally, whatever its endpoint, instead
 * of holding it open until its shutdown grace runs out and then cutting it.
 */
class StoppingTest {

    /** Far longer than the stop may take: a stop that waited the streams out would show. */
    private static final Duration GRACE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void whenTheTrafficControllerStops_websocketSseAndGrpcClientsEachSeeTheirStreamEndNormally() throws Exception {
        TrafficControllerRunner tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.shutdown-grace", GRACE.toSeconds() + "s"));
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + tc.grpcPort(), "localhost", tc.clientTls, "test.tls")
                .build();
        EgressBatchRequest logs = EgressBatchRequest.newBuilder()
                .addSelectors(Selector.newBuilder().setSourceId("app-a").setLog(LogSelector.getDefaultInstance())).build();
        try (V1Client websocket = V1Client.connect(URI.create("ws://127.0.0.1:" + tc.httpPort() + "/apps/app-a/stream"),
                tc.issuer.admin(), true);
             SseSocket sse = SseSocket.open(tc.httpPort(), "?source_id=app-a&log", tc.issuer.admin());
             EgressClient grpc = EgressClient.open(channel, logs)) {
            await().atMost(PATIENCE).until(() -> tc.dopplerSubscriptions() == 3);
            tc.dopplers.get(0).emit(List.of(log("app-a", "before the stop", 1)));
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(websocket.received).as("websocket").hasSize(1);
                assertThat(grpc.received).as("gRPC").hasSize(1);
                assertThat(sse.text()).as("SSE").contains("\"source_id\":\"app-a\"");
            });

            long start = System.nanoTime();
            tc.close();
            Duration stop = Duration.ofNanos(System.nanoTime() - start);

            assertThat(websocket.closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("websocket close code")
                    .isEqualTo(1001);
            assertThat(grpc.ended.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(sse.text())
                    .contains("event: closing\ndata: closing due to shutdown"));
            assertThat(stop).as("the stop ended the streams rather than waiting out its %s grace", GRACE)
                    .isLessThan(GRACE.dividedBy(2));
        } finally {
            GrpcTransport.shutdown(channel, 500);
        }
    }
}
