package dev.hydrant.trafficcontroller.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.Patience;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-site websocket hijacking: a token from the authorization cookie counts only for pages of the
 * Traffic Controller's own host or of auth.allowed-origins; a token in the Authorization header
 * counts whatever the Origin.
 */
class CookieOriginTest {

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.auth.allowed-origins", "https://console.example.com"));
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    /** The status line of a websocket upgrade of the firehose with these extra header lines. */
    private String upgrade(String headers) throws Exception {
        try (RawConnection client = RawConnection.plain(tc.httpPort())) {
            return client.send("GET /firehose/origin-test HTTP/1.1\r\nHost: 127.0.0.1:" + tc.httpPort() + "\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + headers + "\r\n").head().lines().findFirst().orElseThrow();
        }
    }

    private String cookie() {
        return "Cookie: authorization=bearer%20" + tc.issuer.admin() + "\r\n";
    }

    private double refusedForOrigin() {
        return tc.counter("rejected_requests", "reason", "origin");
    }

    @Test
    void cookieFromAForeignOrigin_isRefusedWith403_andCounted_beforeAnyDopplerSubscription() throws Exception {
        double before = refusedForOrigin();
        assertThat(upgrade(cookie() + "Origin: https://evil.example.net\r\n")).startsWith("HTTP/1.1 403");
        assertThat(refusedForOrigin()).isEqualTo(before + 1);
        assertThat(tc.dopplerSubscriptions()).isZero();
    }

    @Test
    void cookieWithoutAnyOrigin_isRefusedForAnUpgrade() throws Exception {
        double before = refusedForOrigin();
        assertThat(upgrade(cookie())).startsWith("HTTP/1.1 403");
        assertThat(refusedForOrigin()).isEqualTo(before + 1);
    }

    @Test
    void cookieFromAnAllowedOrigin_orFromTheTrafficControllersOwnHost_isAccepted() throws Exception {
        assertThat(upgrade(cookie() + "Origin: https://console.example.com\r\n")).startsWith("HTTP/1.1 101");
        assertThat(upgrade(cookie() + "Origin: http://127.0.0.1:" + tc.httpPort() + "\r\n")).startsWith("HTTP/1.1 101");
        await().atMost(Patience.WAIT).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void headerTokenFromAnyOrigin_isAccepted() throws Exception {
        assertThat(upgrade("Authorization: bearer " + tc.issuer.admin() + "\r\nOrigin: https://evil.example.net\r\n"))
                .startsWith("HTTP/1.1 101");
        await().atMost(Patience.WAIT).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void plainRequestsWithTheCookie_areRefusedFromAForeignOrigin_andServedWithoutOne() throws Exception {
        try (RawConnection client = RawConnection.plain(tc.httpPort())) {
            String request = "GET /api/v1/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n" + cookie();
            String foreign = client.send(request + "Origin: https://evil.example.net\r\n\r\n").head();
            assertThat(foreign).startsWith("HTTP/1.1 403");
            assertThat(client.body(IdleConnectionsTest.contentLength(foreign))).contains("allowed origin");
            String sameSite = client.send(request + "\r\n").head();
            assertThat(sameSite).startsWith("HTTP/1.1 200");
        }
    }
}
