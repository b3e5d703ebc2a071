package dev.hydrant.trafficcontroller.websocket;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.websocket.RawWebsocket;
import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/wire.md section 4: a ping every ping-interval; no pong within one more interval closes with 1008. */
class PingPongTest {

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        // a ping every 2 s, and its pong due before the next: a margin that a busy machine's pauses do not reach
        tc = new TrafficControllerRunner(dir, 1, Map.of("hydrant.traffic-controller.ping-interval", "2s"));
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + tc.httpPort() + path);
    }

    @Test
    void consumerThatNeverPongs_isClosedWith1008_whileOneThatPongsStaysOpenAndKeepsReceiving() throws Exception {
        try (V1Client answering = V1Client.connect(ws("/firehose/answers-pings"), tc.issuer.admin(), true);
             RawWebsocket silent = RawWebsocket.connect(ws("/firehose/ignores-pings"), tc.issuer.admin())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 2);

            RawWebsocket.Closing closing = silent.readUntilClose(Duration.ofSeconds(30));
            assertThat(closing.pingsSeen()).isGreaterThanOrEqualTo(1);
            assertThat(closing.code()).isEqualTo(1008);
            await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 1);

            // several more ping intervals: the consumer that answers is not closed
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).until(() -> !answering.closed.isDone());
            tc.dopplers.get(0).emit(List.of(log("app", "still here", 1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> answering.received.size() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 0);
    }
}
