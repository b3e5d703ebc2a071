package dev.hydrant.nozzle.client;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzle.wire.LogCapture;
import dev.hydrant.nozzle.wire.TlsProxy;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/**
 * SSE, websocket and recent logs over https with a CA the test makes: trusted through the CA file, and what an
 * operator sees without it (one ERROR naming the setting, or the stream failing fast), or with the wrong scheme.
 */
class TlsTest {

    private static final ReconnectPolicy FAST = new ReconnectPolicy(
            Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(5));

    @TempDir
    Path dir;

    private final FakeTrafficController server = new FakeTrafficController();
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private TlsFiles serverTls;
    private TlsProxy proxy;
    private Disposable subscription;

    @BeforeEach
    void start() throws Exception {
        server.start();
        serverTls = CertificateAuthority.create("tc-ca").issueFiles(dir.resolve("server"), "traffic-controller");
        proxy = new TlsProxy(serverTls, false, server.port());
    }

    @AfterEach
    void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
        proxy.close();
        server.close();
    }

    private HydrantClient.Builder client(Transport transport, String baseUrl) {
        return HydrantClient.builder().baseUrl(baseUrl).transport(transport).reconnect(FAST);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void withTheCaFile_streamsAndRecentLogsWorkOverHttps(Transport transport) {
        server.recentLogs("app-1", List.of(log("app-1", "earlier")));
        HydrantClient client = client(transport, "https://127.0.0.1:" + proxy.port())
                .tls(HttpTls.trusting(serverTls.caFile())).build();

        subscription = client.firehose("tls").subscribe(received::add);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            server.publish(log("app-1", "over tls"));
            return !received.isEmpty();
        });

        assertThat(text(received.get(0))).isEqualTo("over tls");
        assertThat(client.recentLogs("app-1", 10).block(Duration.ofSeconds(30))).extracting(e -> text(e))
                .containsExactly("earlier");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void withoutTheCaFile_oneErrorSaysToSetIt_andTheStreamKeepsTrying(Transport transport) {
        try (LogCapture logs = new LogCapture(HydrantClient.class)) {
            HydrantClient client = client(transport, "https://127.0.0.1:" + proxy.port()).build();
            subscription = client.firehose("tls").subscribe(received::add);

            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.connections() >= 4);

            assertThat(logs.lines(Level.ERROR, "")).singleElement().asString()
                    .contains("The certificate of the Traffic Controller at https://127.0.0.1:" + proxy.port()
                            + " is not trusted")
                    .contains("set hydrant.nozzle.ca-file to the PEM file of the CA that signs it")
                    .endsWith("retrying every 200ms until it is fixed");
            assertThat(logs.visible()).hasSize(1);
            assertThat(logs.withStackTraces()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void withoutTheCaFile_failingFast_theStreamEndsWithTheProblem(Transport transport) {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        HydrantClient client = client(transport, "https://127.0.0.1:" + proxy.port()).failFast(true).build();

        subscription = client.firehose("tls").subscribe(received::add, ended::complete);

        assertThat(ended).succeedsWithin(Duration.ofSeconds(30)).isInstanceOfSatisfying(HydrantClientException.class,
                e -> assertThat(e.permanent()).isTrue());
        assertThat(ended.join()).hasMessageContaining("is not trusted").hasMessageContaining("hydrant.nozzle.ca-file");
        assertThat(client.recentLogs("app-1", 1).onErrorResume(e -> reactor.core.publisher.Mono.just(List.of()))
                .block(Duration.ofSeconds(30))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void httpsAgainstAPlainPort_isAPermanentProblemThatNamesTheScheme(Transport transport) {
        try (LogCapture logs = new LogCapture(HydrantClient.class)) {
            HydrantClient client = client(transport, "https://127.0.0.1:" + server.port()).build();
            subscription = client.firehose("tls").subscribe(received::add);

            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.lines(Level.ERROR, "").isEmpty());
            assertThat(logs.lines(Level.ERROR, "")).singleElement().asString()
                    .contains("does not speak TLS on that port").contains("use http://");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void httpAgainstATlsPort_isAPermanentProblemThatNamesTheScheme(Transport transport) {
        try (LogCapture logs = new LogCapture(HydrantClient.class)) {
            HydrantClient client = client(transport, "http://127.0.0.1:" + proxy.port()).build();
            subscription = client.firehose("tls").subscribe(received::add);

            // each attempt is a plain connection and a probe's TLS one: the stream keeps trying after the ERROR
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.lines(Level.ERROR, "").isEmpty());
            int seen = proxy.connections();
            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.connections() >= seen + 4);
            assertThat(logs.lines(Level.ERROR, "")).singleElement().asString()
                    .contains("speaks TLS on that port").contains("use https://");
            assertThat(logs.lines(Level.WARN, "")).isEmpty();
        }
    }
}
