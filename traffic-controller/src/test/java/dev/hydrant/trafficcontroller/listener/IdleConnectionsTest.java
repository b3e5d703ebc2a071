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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public listener without TLS: a connection owes a whole request within http.request-timeout
 * and is closed quietly and counted when it does not; accepted streams are never cut by it.
 */
class IdleConnectionsTest {

    /** Longer than every deadline here, so a connection still open after it was not cut. */
    private static final Duration QUIET = Duration.ofSeconds(6);

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.http.request-timeout", "2s",
                "hydrant.traffic-controller.http.keep-alive-timeout", "2s",
                "hydrant.traffic-controller.sse-heartbeat", "10m",
                "hydrant.traffic-controller.ping-interval", "10m"));
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    private double idleTimeouts() {
        return tc.counter("rejected_requests", "reason", "idle_timeout");
    }

    @Test
    void aConnectionThatSendsNothing_isClosedAndCounted() throws Exception {
        double before = idleTimeouts();
        try (RawConnection silent = RawConnection.plain(tc.httpPort())) {
            assertThat(silent.closedByServerWithin(Patience.WAIT)).isTrue();
        }
        await().atMost(Patience.WAIT).until(() -> idleTimeouts() == before + 1);
        await().atMost(Patience.WAIT).until(() -> tc.gauge("public_listener.connections") == 0);
    }

    @Test
    void aHundredConnectionsHalfWayThroughARequest_areAllClosedAndCounted() throws Exception {
        double before = idleTimeouts();
        List<RawConnection> held = new java.util.ArrayList<>();
        try (ListenerLog log = new ListenerLog()) {
            for (int i = 0; i < 100; i++) {
                held.add(RawConnection.plain(tc.httpPort()).send("GET /apps/app/recentlogs HTTP/1.1\r\nHost: "));
            }
            for (RawConnection connection : held) {
                assertThat(connection.closedByServerWithin(Patience.WAIT)).isTrue();
            }
            await().atMost(Patience.WAIT).until(() -> idleTimeouts() == before + 100);
            await().atMost(Patience.WAIT).until(() -> tc.gauge("public_listener.connections") == 0);
            assertThat(log.warnings()).isEmpty();
        } finally {
            for (RawConnection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void halfARequest_isClosedAndCounted_withoutAWarning() throws Exception {
        double before = idleTimeouts();
        try (ListenerLog log = new ListenerLog();
             RawConnection half = RawConnection.plain(tc.httpPort())
                     .send("GET /api/v1/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: bearer ")) {
            assertThat(half.closedByServerWithin(Patience.WAIT)).isTrue();
            await().atMost(Patience.WAIT).until(() -> idleTimeouts() == before + 1);
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void headersWithHalfABody_areClosedAndCounted_withoutAnErrorLogged() throws Exception {
        double before = idleTimeouts();
        try (ListenerLog log = new ListenerLog();
             RawConnection half = RawConnection.plain(tc.httpPort()).send("POST /v1/drains HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: bearer " + tc.issuer.admin() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"source_id\":")) {
            assertThat(half.closedByServerWithin(Patience.WAIT)).isTrue();
            await().atMost(Patience.WAIT).until(() -> idleTimeouts() == before + 1);
            // the handler reading the body learns of the close a moment later; give it every chance to log
            await().during(Duration.ofSeconds(1)).atMost(Patience.WAIT).until(() -> log.warnings().isEmpty());
        }
    }

    @Test
    void aKeptAliveConnectionThatGoesQuiet_isClosedWithoutBeingCountedAsRefused() throws Exception {
        double before = idleTimeouts();
        try (RawConnection kept = RawConnection.plain(tc.httpPort()).send("GET /api/v1/meta HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: bearer " + tc.issuer.admin() + "\r\n\r\n")) {
            String head = kept.head();
            assertThat(head).startsWith("HTTP/1.1 200");
            kept.body(contentLength(head));
            assertThat(kept.closedByServerWithin(Patience.WAIT)).isTrue();
        }
        assertThat(idleTimeouts()).isEqualTo(before);
    }

    @Test
    void aQuietWebsocketStream_outlivesTheRequestTimeout_andStillReceives() throws Exception {
        try (V1Client client = V1Client.connect(URI.create("ws://127.0.0.1:" + tc.httpPort() + "/firehose/quiet"),
                tc.issuer.admin())) {
            await().atMost(Patience.WAIT).until(() -> tc.dopplerSubscriptions() == 1);
            await().during(QUIET).atMost(QUIET.plus(Patience.WAIT))
                    .until(() -> !client.closed.isDone() && tc.dopplerSubscriptions() == 1);
            tc.dopplers.get(0).emit(List.of(log("app", "after the quiet", 1)));
            await().atMost(Patience.WAIT).until(() -> client.received.size() == 1);
        }
        await().atMost(Patience.WAIT).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void aQuietSseStream_outlivesTheRequestTimeout_andStillReceives() throws Exception {
        try (SseSocket reader = SseSocket.open(tc.httpPort(), "?source_id=app&log", tc.issuer.admin())) {
            await().atMost(Patience.WAIT).until(() -> tc.dopplerSubscriptions() == 1
                    && reader.text().contains("event: heartbeat"));
            await().during(QUIET).atMost(QUIET.plus(Patience.WAIT)).until(() -> tc.dopplerSubscriptions() == 1);
            tc.dopplers.get(0).emit(List.of(log("app", "after the quiet", 1)));
            await().atMost(Patience.WAIT).until(() -> reader.text().contains("data: "));
        }
        await().atMost(Patience.WAIT).until(() -> tc.dopplerSubscriptions() == 0);
    }

    static int contentLength(String head) {
        return head.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(15).trim())).findFirst().orElseThrow();
    }
}
