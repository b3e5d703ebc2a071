package dev.hydrant.trafficcontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.tokens.TokenIssuer;
import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With only {@code auth.issuer-uri} set, the keys are found through the issuer's
 * {@code /.well-known/openid-configuration} ({@code jwks_uri}), and {@code iss} must name that issuer.
 */
class IssuerDiscoveryTest {

    @TempDir
    static Path dir;
    static TokenIssuer oidc;
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        oidc = new TokenIssuer();
        Map<String, Object> extra = new HashMap<>();
        extra.put("hydrant.traffic-controller.auth.issuer-uri", oidc.uri());
        extra.put("hydrant.traffic-controller.auth.jwk-set-uri", null);
        tc = new TrafficControllerRunner(dir, 1, extra);
    }

    @AfterAll
    static void stop() {
        tc.close();
        oidc.close();
    }

    private URI firehose() {
        return URI.create("ws://127.0.0.1:" + tc.httpPort() + "/firehose/discovered");
    }

    @Test
    void tokenFromTheDiscoveredIssuer_isAccepted_andOneNamingAnotherIssuer_is401() {
        assertThat(V1Client.refusalStatus(firehose(), oidc.adminIssuedBy(oidc.uri()))).isEqualTo(101);
        assertThat(oidc.discoveries()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 0);

        // same key, same scopes: only iss differs
        assertThat(V1Client.refusalStatus(firehose(), oidc.adminIssuedBy("https://elsewhere.test/oauth/token")))
                .isEqualTo(401);
        assertThat(V1Client.refusalStatus(firehose(), oidc.adminIssuedBy(oidc.uri() + "/other"))).isEqualTo(401);
        assertThat(tc.dopplerSubscriptions()).isZero();
    }
}
