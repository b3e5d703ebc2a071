package dev.hydrant.trafficcontroller.fanin;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.FakeDoppler;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FanInReconnectTest {

    @TempDir
    Path dir;

    @Test
    void dopplerThatGoesAwayAndComesBack_isSubscribedAgain_withoutDroppingTheClient() throws Exception {
        try (TrafficControllerRunner tc = new TrafficControllerRunner(dir, 2, Map.of());
             V1Client client = V1Client.connect(URI.create("ws://127.0.0.1:" + tc.httpPort() + "/firehose/sub"),
                     tc.issuer.admin(), true)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 2);
            FakeDoppler leaving = tc.dopplers.get(1);
            int port = leaving.port();
            leaving.close();

            tc.dopplers.get(0).emit(List.of(log("a", "while one is away", 1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.received.size() == 1);

            FakeDoppler back = new FakeDoppler(tc.dopplerTls, port);
            tc.dopplers.set(1, back);
            await().atMost(Duration.ofSeconds(30)).until(() -> back.subscribers().size() == 1);
            back.emit(List.of(log("a", "after it came back", 2)));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.received.size() == 2);
            assertThat(client.received.get(1).getLogMessage().getMessage().toStringUtf8()).isEqualTo("after it came back");
            assertThat(client.closed).isNotDone();
        }
    }
}
