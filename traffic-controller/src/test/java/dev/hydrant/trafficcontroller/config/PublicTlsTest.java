package dev.hydrant.trafficcontroller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With public-tls cert-file and key-file set, the public listener speaks TLS only. */
class PublicTlsTest {

    @TempDir
    static Path dir;
    static CertificateAuthority publicCa;
    static TrafficControllerRunner tc;
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        publicCa = CertificateAuthority.create("public-ca");
        Path publicDir = Files.createDirectories(dir.resolve("public"));
        TlsFiles cert = publicCa.issueFiles(publicDir, "traffic-controller-public");
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.public-tls.cert-file", cert.certFile().toString(),
                "hydrant.traffic-controller.public-tls.key-file", cert.keyFile().toString()));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("public-ca", publicCa.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        https = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    private HttpRequest meta(String scheme) {
        return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + tc.httpPort() + "/api/v1/meta"))
                .header("Authorization", "bearer " + tc.issuer.admin())
                .timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void httpApi_answersOverHttps_withTheConfiguredCertificate() throws Exception {
        HttpResponse<String> response = https.send(meta("https"), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("meta");
        assertThat(response.sslSession().orElseThrow().getPeerPrincipal().getName()).contains("traffic-controller-public");
    }

    @Test
    void firehose_upgradesOverWss() throws Exception {
        WebSocket socket = https.newWebSocketBuilder()
                .header("Authorization", "bearer " + tc.issuer.admin())
                .buildAsync(URI.create("wss://127.0.0.1:" + tc.httpPort() + "/firehose/over-tls"),
                        new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 1);
        socket.abort();
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void plainHttp_getsNoAnswer() {
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(meta("http"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }
}
