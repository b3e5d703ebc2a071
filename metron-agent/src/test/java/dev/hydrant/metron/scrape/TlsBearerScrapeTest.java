package dev.hydrant.metron.scrape;

import static dev.hydrant.testsupport.Patience.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * An https target that wants a client certificate and a bearer token (a test server with certificates
 * the test generates): scraped with the configured CA, client certificate, server name and token file;
 * a wrong token, a wrong server name and an oversize body are counted as failures and logged once
 * per outage, and the token never shows in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsBearerScrapeTest {

    private static final String TOKEN = "s3cret-scrape-token";
    private static final String EXPOSITION = """
            # HELP jobs_done_total Jobs done.
            # TYPE jobs_done_total counter
            jobs_done_total{queue="a \\"quoted\\" one"} 1027
            # TYPE temperature_celsius gauge
            temperature_celsius{room="lab"} -3.5
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 3
            latency_seconds_bucket{le="+Inf"} 5
            latency_seconds_sum 1.25
            latency_seconds_count 5
            """;

    @TempDir
    Path dir;

    private HttpsServer server;
    private final AtomicInteger unauthorized = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anHttpsTargetWithClientCertificateAndBearerTokenIsScraped_failuresAreCountedAndLoggedOnce(CapturedOutput output)
            throws Exception {
        TestPki pki = new TestPki(dir);
        CertificateAuthority targetCa = CertificateAuthority.create("target-ca");
        startServer(targetCa, pki);
        Path caFile = targetCa.writeCertificate(dir.resolve("target-ca.crt"));
        TlsFiles client = pki.ca.issueFiles(dir.resolve("scraper"), "metron-scraper");
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Path wrongToken = Files.writeString(dir.resolve("wrong-token"), "not-" + TOKEN);
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
        Map<String, String> settings = new HashMap<>(Map.of(
                "hydrant.metron.scrape.targets[0].url", url,
                "hydrant.metron.scrape.targets[0].source-id", "jobs",
                "hydrant.metron.scrape.targets[0].interval", "200ms",
                "hydrant.metron.scrape.targets[0].tls.ca-file", caFile.toString(),
                "hydrant.metron.scrape.targets[0].tls.cert-file", client.certFile().toString(),
                "hydrant.metron.scrape.targets[0].tls.key-file", client.keyFile().toString(),
                "hydrant.metron.scrape.targets[0].tls.server-name", "metrics.test",
                "hydrant.metron.scrape.targets[0].bearer-token-file", token.toString()));
        settings.putAll(target(1, "wrong-token", url, caFile, client, "metrics.test", wrongToken));
        settings.putAll(target(2, "wrong-name", url, caFile, client, "other.test", token));
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0)) {
            settings.put("hydrant.metron.dopplers", doppler.address());
            try (RunningMetron metron = RunningMetron.start(pki, settings)) {
                await().atMost(WAIT).until(() -> doppler.from("jobs").size() >= 6);
                await().atMost(WAIT).until(() -> failures(metron, "wrong-token") >= 3 && failures(metron, "wrong-name") >= 3);

                Envelope counter = doppler.from("jobs").stream().filter(Envelope::hasCounter).findFirst().orElseThrow();
                assertThat(counter.getCounter().getName()).isEqualTo("jobs_done_total");
                assertThat(counter.getCounter().getTotal()).isEqualTo(1027);
                assertThat(counter.getTagsMap()).containsEntry("queue", "a \"quoted\" one");
                assertThat(gauge(doppler, "temperature_celsius").getGauge().getMetricsOrThrow("temperature_celsius").getValue())
                        .isEqualTo(-3.5);
                assertThat(gauge(doppler, "temperature_celsius").getTagsMap()).containsEntry("room", "lab");
                assertThat(doppler.from("jobs")).anyMatch(e -> e.hasGauge() && e.getGauge().containsMetrics("latency_seconds_bucket")
                        && "+Inf".equals(e.getTagsMap().get("le"))
                        && e.getGauge().getMetricsOrThrow("latency_seconds_bucket").getValue() == 5.0);
                assertThat(gauge(doppler, "latency_seconds_sum").getGauge().getMetricsOrThrow("latency_seconds_sum").getValue())
                        .isEqualTo(1.25);
                assertThat(gauge(doppler, "latency_seconds_count").getGauge().getMetricsOrThrow("latency_seconds_count").getValue())
                        .isEqualTo(5.0);
                assertThat(failures(metron, "jobs")).isZero();
                assertThat(doppler.from("wrong-token")).isEmpty();
                assertThat(doppler.from("wrong-name")).isEmpty();
                assertThat(unauthorized).hasPositiveValue();
            }
        }
        assertThat(output.getAll()).doesNotContain(TOKEN);
        assertThat(output.getAll().lines().filter(l -> l.contains("source id wrong-token failed"))).hasSize(1);
        assertThat(output.getAll()).contains("answered HTTP 401");
        assertThat(output.getAll().lines().filter(l -> l.contains("source id wrong-name failed"))).hasSize(1);
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedAndCounted(CapturedOutput output) throws Exception {
        TestPki pki = new TestPki(dir);
        CertificateAuthority targetCa = CertificateAuthority.create("target-ca");
        startServer(targetCa, pki);
        Path caFile = targetCa.writeCertificate(dir.resolve("target-ca.crt"));
        TlsFiles client = pki.ca.issueFiles(dir.resolve("scraper"), "metron-scraper");
        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
        Map<String, String> settings = new HashMap<>(target(0, "jobs", url, caFile, client, "metrics.test", token));
        settings.put("hydrant.metron.scrape.max-body-size", "100B");
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, withDoppler(settings, doppler))) {
            await().atMost(WAIT).until(() -> failures(metron, "jobs") >= 2);
            assertThat(doppler.from("jobs")).isEmpty();
        }
        assertThat(output.getAll()).contains("larger than 100 bytes");
    }

    private static Map<String, String> withDoppler(Map<String, String> settings, RecordingDoppler doppler) {
        settings.put("hydrant.metron.dopplers", doppler.address());
        return settings;
    }

    private static Map<String, String> target(int i, String sourceId, String url, Path caFile, TlsFiles client,
                                              String serverName, Path token) {
        String prefix = "hydrant.metron.scrape.targets[" + i + "].";
        return Map.of(prefix + "url", url,
                prefix + "source-id", sourceId,
                prefix + "interval", "200ms",
                prefix + "tls.ca-file", caFile.toString(),
                prefix + "tls.cert-file", client.certFile().toString(),
                prefix + "tls.key-file", client.keyFile().toString(),
                prefix + "tls.server-name", serverName,
                prefix + "bearer-token-file", token.toString());
    }

    private static double failures(RunningMetron metron, String sourceId) {
        return metron.registry().get("scrape.failures").tag("source_id", sourceId).counter().count();
    }

    private static Envelope gauge(RecordingDoppler doppler, String name) {
        return doppler.from("jobs").stream().filter(e -> e.hasGauge() && e.getGauge().containsMetrics(name))
                .findFirst().orElseThrow();
    }

    /** An https server for metrics.test (and 127.0.0.1) that wants a client certificate of the test PKI's CA. */
    private void startServer(CertificateAuthority targetCa, TestPki pki) throws Exception {
        CertificateAuthority.Issued issued = targetCa.issue("metrics.test");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", issued.keyPair().getPrivate(), new char[0],
                new Certificate[] {issued.certificate(), targetCa.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("clients", pki.ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                var parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/metrics", exchange -> {
            byte[] body;
            int status;
            if (("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 200;
                body = EXPOSITION.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            } else {
                unauthorized.incrementAndGet();
                status = 401;
                body = new byte[0];
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}
