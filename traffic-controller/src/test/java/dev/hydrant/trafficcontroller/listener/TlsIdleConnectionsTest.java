package dev.hydrant.trafficcontroller.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public listener with TLS: the handshake and then a whole request each have a deadline. */
class TlsIdleConnectionsTest {

    @TempDir
    static Path dir;
    static CertificateAuthority publicCa;
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        publicCa = CertificateAuthority.create("public-ca");
        TlsFiles cert = publicCa.issueFiles(Files.createDirectories(dir.resolve("public")), "traffic-controller-public");
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.public-tls.cert-file", cert.certFile().toString(),
                "hydrant.traffic-controller.public-tls.key-file", cert.keyFile().toString(),
                "hydrant.traffic-controller.http.handshake-timeout", "2s",
                "hydrant.traffic-controller.http.request-timeout", "2s"));
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    private double rejected(String reason) {
        return tc.counter("rejected_requests", "reason", reason);
    }

    @Test
    void aConnectionThatNeverStartsTheHandshake_isClosedAndCountedAsAHandshakeTimeout() throws Exception {
        double before = rejected("handshake_timeout");
        try (ListenerLog log = new ListenerLog(); RawConnection silent = RawConnection.plain(tc.httpPort())) {
            assertThat(silent.closedByServerWithin(Patience.WAIT)).isTrue();
            await().atMost(Patience.WAIT).until(() -> rejected("handshake_timeout") == before + 1);
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void aConnectionThatFinishesTlsAndSendsNothing_isClosedAndCounted() throws Exception {
        double before = rejected("idle_timeout");
        try (ListenerLog log = new ListenerLog(); RawConnection silent = RawConnection.tls(tc.httpPort(), publicCa)) {
            assertThat(silent.closedByServerWithin(Patience.WAIT)).isTrue();
            await().atMost(Patience.WAIT).until(() -> rejected("idle_timeout") == before + 1);
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void halfARequestOverTls_isClosedAndCounted_withoutAWarning() throws Exception {
        double before = rejected("idle_timeout");
        try (ListenerLog log = new ListenerLog();
             RawConnection half = RawConnection.tls(tc.httpPort(), publicCa)
                     .send("GET /api/v1/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n")) {
            assertThat(half.closedByServerWithin(Patience.WAIT)).isTrue();
            await().atMost(Patience.WAIT).until(() -> rejected("idle_timeout") == before + 1);
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void aWholeRequestOverTls_isAnswered() throws Exception {
        try (RawConnection client = RawConnection.tls(tc.httpPort(), publicCa).send("GET /api/v1/meta HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: bearer " + tc.issuer.admin() + "\r\n\r\n")) {
            assertThat(client.head()).startsWith("HTTP/1.1 200");
        }
    }
}
