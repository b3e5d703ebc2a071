package dev.hydrant.trafficcontroller.listener;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.SseSocket;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * http.max-streams and http.max-connections: one stream or connection too many is refused and
 * counted, the streams already open go on, and a place freed is a place taken again.
 */
class ConnectionLimitTest {

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.http.max-connections", "4",
                "hydrant.traffic-controller.http.max-streams", "2",
                // the idle connections this test holds stay until it closes them
                "hydrant.traffic-controller.http.request-timeout", "10m",
                "hydrant.traffic-controller.http.keep-alive-timeout", "10m"));
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + tc.httpPort() + path);
    }

    private double rejected(String reason) {
        return tc.counter("rejected_requests", "reason", reason);
    }

    private double connections() {
        return tc.gauge("public_listener.connections");
    }

    @Test
    void overTheCaps_streamsGet503_andConnectionsAreClosed_whileOpenStreamsKeepReceiving() throws Exception {
        String admin = tc.issuer.admin();
        try (V1Client first = V1Client.connect(ws("/firehose/first"), admin);
             V1Client second = V1Client.connect(ws("/firehose/second"), admin);
             RawConnection third = RawConnection.plain(tc.httpPort())) {
            await().atMost(Patience.WAIT).until(() -> tc.dopplerSubscriptions() == 2);

            // a third stream, SSE or websocket, is one too many
            String sse = third.send("GET /v2/read?source_id=app&log HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: bearer " + admin + "\r\n\r\n").head();
            assertThat(sse).startsWith("HTTP/1.1 503");
            assertThat(third.body(IdleConnectionsTest.contentLength(sse)))
                    .contains("\"error\":\"stream_limit\"").contains("at most 2 websocket and server-sent-event streams");
            String upgrade = third.send("GET /apps/app/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: bearer " + admin + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").head();
            assertThat(upgrade).startsWith("HTTP/1.1 503");
            assertThat(rejected("stream_limit")).isEqualTo(2);
            assertThat(tc.dopplerSubscriptions()).isEqualTo(2);

            // the fourth connection is let in; a fifth is closed at once
            try (RawConnection fourth = RawConnection.plain(tc.httpPort())) {
                await().atMost(Patience.WAIT).until(() -> connections() == 4);
                try (RawConnection fifth = RawConnection.plain(tc.httpPort())) {
                    assertThat(fifth.closedByServerWithin(Patience.WAIT)).isTrue();
                }
                assertThat(rejected("connection_limit")).isEqualTo(1);
                // the management port is not the public listener: its health check still answers
                try (RawConnection health = RawConnection.plain(tc.managementPort())) {
                    assertThat(health.send("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").head())
                            .startsWith("HTTP/1.1 200");
                }
                assertThat(connections()).isEqualTo(4);

                tc.dopplers.get(0).emit(List.of(log("app", "still streaming", 1)));
                await().atMost(Patience.WAIT).until(() -> first.received.size() == 1 && second.received.size() == 1);
            }

            // a connection closed makes room for a new one, a stream closed for a new stream
            await().atMost(Patience.WAIT).until(() -> connections() == 3);
            try (RawConnection again = RawConnection.plain(tc.httpPort())) {
                assertThat(again.send("GET /api/v1/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: bearer "
                        + admin + "\r\n\r\n").head()).startsWith("HTTP/1.1 200");
            }
            first.close();
            await().atMost(Patience.WAIT).until(() -> tc.dopplerSubscriptions() == 1);
            third.close();
            try (SseSocket reader = SseSocket.open(tc.httpPort(), "?source_id=app&log", admin)) {
                await().atMost(Patience.WAIT).until(() -> reader.text().contains("event: heartbeat"));
            }
        }
        await().atMost(Patience.WAIT).until(() -> connections() == 0);
    }
}
