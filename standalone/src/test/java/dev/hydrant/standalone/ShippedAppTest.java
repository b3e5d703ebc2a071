package dev.hydrant.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.standalone.shipper.AppInstance;
import dev.hydrant.standalone.shipper.LogShipper;
import dev.hydrant.standalone.shipper.ShipCommand;
import dev.hydrant.standalone.shipper.ShipperSettings;
import dev.hydrant.standalone.stack.Component;
import dev.hydrant.standalone.stack.StandaloneStack;
import dev.hydrant.standalone.token.SigningKey;
import dev.hydrant.standalone.token.TokenCommand;
import dev.hydrant.standalone.token.TokenMinter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** The whole pipe in the standalone: an app's output through the shipper, Metron, Doppler and the Traffic Controller. */
class ShippedAppTest {

    private static final Path SAMPLE_APP = Path.of("sample-app", "sample-app.sh");

    @TempDir
    static Path home;
    private static StandaloneStack stack;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startStack() {
        stack = TestStacks.start(home);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void theSampleAppsStdoutAndStderrLinesArriveThroughTheTrafficControllerAsOutAndErr() throws Exception {
        Queue<Envelope> received = new ConcurrentLinkedQueue<>();
        try (HydrantClient client = HydrantClient.builder().baseUrl(stack.trafficControllerUrl())
                .tokenProvider(TokenProvider.fixed(token("--source-id", "sample-app"))).build()) {
            Disposable reading = client.read(ReadRequest.source("sample-app", Set.of(EnvelopeType.LOG)))
                    .subscribe(received::add);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> dopplerSubscriptions() >= 1);

                LogShipper shipper = LogShipper.start(ShipperSettings.defaults(
                        new AppInstance("sample-app", "3", AppInstance.APP_SOURCE_TYPE),
                        new DataDirectory(home).pki().filesFor(ShipCommand.CERTIFICATE_NAME),
                        List.of("env", "SAMPLE_APP_LINES=10", "SAMPLE_APP_INTERVAL=0.05", "bash", SAMPLE_APP.toString()))
                        .withMetron("127.0.0.1:" + stack.metronPort()));
                assertThat(shipper.awaitExit()).isZero();
                assertThat(shipper.sent()).isEqualTo(14);
                assertThat(shipper.lost()).isZero();

                await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 14);
            } finally {
                reading.dispose();
            }
        }
        List<String> out = lines(received, Log.Type.OUT);
        List<String> err = lines(received, Log.Type.ERR);
        assertThat(out).hasSize(12).first().asString().startsWith("sample-app starting");
        assertThat(out).anyMatch(line -> line.startsWith("request 10: GET "))
                .contains("sample-app stopping after 10 requests");
        assertThat(out.get(1)).startsWith("request 1: GET ");
        assertThat(err).hasSize(2).allMatch(line -> line.startsWith("warning: request "));
        assertThat(err.get(0)).startsWith("warning: request 2:");
        assertThat(received).allSatisfy(envelope -> {
            assertThat(envelope.getSourceId()).isEqualTo("sample-app");
            assertThat(envelope.getInstanceId()).isEqualTo("3");
            assertThat(envelope.getTagsMap()).containsEntry("source_type", "APP/PROC/WEB");
        });
    }

    @Test
    void anAppTokenReadsItsOwnAppOnly_andAnAdminTokenReadsEveryApp() throws Exception {
        String appToken = token("--source-id", "sample-app");
        String adminToken = token("--admin");

        assertThat(status("/api/v1/read/sample-app", appToken)).isEqualTo(200);
        assertThat(status("/api/v1/read/another-app", appToken)).isEqualTo(404);
        assertThat(status("/v2/read?source_id=another-app&log", appToken)).isEqualTo(404);
        assertThat(status("/v2/read?log", appToken)).isEqualTo(404);
        assertThat(status("/api/v1/read/another-app", adminToken)).isEqualTo(200);
    }

    @Test
    void aTokenSignedByAnotherKeyOrNoTokenIsRefused() throws Exception {
        Path otherHome = home.resolve("elsewhere");
        SigningKey otherKey = SigningKey.loadOrCreate(otherHome.resolve("k"), otherHome.resolve("k.pub"));
        String forged = new TokenMinter(otherKey, Clock.systemUTC()).forSources(List.of("sample-app"), Duration.ofHours(1));

        assertThat(status("/api/v1/read/sample-app", forged)).isEqualTo(404);
        assertThat(status("/api/v1/read/sample-app", null)).isEqualTo(404);
    }

    @Test
    void whenMetronCannotBeReached_theAppRunsToItsEndAndEveryLineIsCountedAsLost() throws Exception {
        CertificateAuthority strangers = CertificateAuthority.create("another-ca");
        ShipperSettings settings = new ShipperSettings(new AppInstance("noisy-app", "0", AppInstance.APP_SOURCE_TYPE),
                "127.0.0.1:" + stack.metronPort(), strangers.issueFiles(home.resolve("stranger"), "noisy-app"),
                100, 100, Duration.ofMillis(50), Duration.ofMillis(300),
                List.of("bash", "-c", "for i in $(seq 1 5000); do echo \"line $i\"; done; echo done >&2"));

        LogShipper shipper = LogShipper.start(settings);

        assertThat(shipper.awaitExit()).isZero();
        assertThat(shipper.sent()).isZero();
        assertThat(shipper.lost()).isEqualTo(5001);
    }

    private static List<String> lines(Queue<Envelope> envelopes, Log.Type type) {
        return envelopes.stream().filter(e -> e.getLog().getType() == type)
                .sorted((a, b) -> Long.compare(a.getTimestamp(), b.getTimestamp()))
                .map(e -> e.getLog().getPayload().toStringUtf8()).toList();
    }

    private static double dopplerSubscriptions() {
        MeterRegistry registry = stack.context(Component.DOPPLER).getBean(MeterRegistry.class);
        var gauge = registry.find("subscriptions").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** A token as {@code hydrant token ...} prints it. */
    private static String token(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = TokenCommand.run(List.of(args), new DataDirectory(home), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static int status(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.trafficControllerUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }
}
