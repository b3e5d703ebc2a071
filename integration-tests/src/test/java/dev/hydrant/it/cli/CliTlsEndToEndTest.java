package dev.hydrant.it.cli;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.cli.ExitCode;
import dev.hydrant.it.Pipe;
import dev.hydrant.it.trafficcontroller.Closer;
import dev.hydrant.it.trafficcontroller.LogEmitter;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.tokens.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code hydrant} command against a Traffic Controller that serves https and wss with a certificate of
 * a development CA: trusted once {@code hydrant login --ca-file} stored that CA, for recent logs and for a
 * live stream; refused in one line, with what to do, when the CA is not trusted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTlsEndToEndTest {

    private static final String TC = "hydrant.traffic-controller.";

    @TempDir
    static Path dir;

    private final Closer closer = new Closer();
    private final Tokens tokens = new Tokens();
    private TrafficControllerNode tc;
    private LogEmitter emitter;
    private Path publicCaFile;
    private String httpsUrl;
    private List<Envelope> cached;

    @BeforeAll
    void startThePipeWithAnHttpsTrafficController() throws Exception {
        Pipe pipe = closer.keep(Pipe.start(dir, 1, Map.of(), Map.of()));
        TlsFiles publicCert = CertificateAuthority.create("public-ca")
                .issueFiles(Files.createDirectories(dir.resolve("public")), "traffic-controller-public");
        publicCaFile = publicCert.caFile();
        tc = closer.keep(TrafficControllerNode.start(pipe, "traffic-controller", pipe.dopplerAddresses(),
                tokens.writePublicKey(dir.resolve("uaa")), Map.of(
                        TC + "public-tls.cert-file", publicCert.certFile().toString(),
                        TC + "public-tls.key-file", publicCert.keyFile().toString())));
        httpsUrl = "https://127.0.0.1:" + tc.httpPort();
        emitter = new LogEmitter(pipe.metronChannel());
        cached = emitter.send("app-tls", "0", 20, 10, 0);
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("ingress") >= cached.size());
    }

    @AfterAll
    void stop() throws Exception {
        closer.close();
    }

    /** A session whose stored target is the https Traffic Controller, with the public CA trusted. */
    private CliSession loggedInWithTheCa() throws Exception {
        CliSession hydrant = closer.keep(new CliSession(Files.createTempDirectory(dir, "home"), httpsUrl,
                tokens.reader("app-tls")));
        assertThat(hydrant.run("login", "--target", httpsUrl, "--ca-file", publicCaFile.toString()))
                .as(hydrant::err).isEqualTo(ExitCode.OK);
        return hydrant;
    }

    @Test
    void withTheCaFileStored_recentLogsAreReadOverHttps() throws Exception {
        CliSession hydrant = loggedInWithTheCa();

        assertThat(hydrant.run("logs", "app-tls", "--recent")).as(hydrant::err).isEqualTo(ExitCode.OK);

        assertThat(hydrant.out()).contains(cached.stream()
                .map(e -> "[APP/PROC/WEB/0] OUT " + e.getLog().getPayload().toStringUtf8()).toList());
        assertThat(hydrant.err()).isEmpty();
    }

    @Test
    void withTheCaFileStored_aLiveStreamIsReadOverTls() throws Exception {
        CliSession hydrant = loggedInWithTheCa();
        hydrant.start("logs", "app-tls");
        await().atMost(PATIENCE).until(() -> tc.metric("doppler_proxy.app_streams") + tc.metric("sse_streams") >= 1);

        List<Envelope> live = emitter.send("app-tls", "1", 10, 10, 0);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(hydrant.out()).contains(live.stream()
                .map(e -> "[APP/PROC/WEB/1] OUT " + e.getLog().getPayload().toStringUtf8()).toList()));
        assertThat(hydrant.interrupt()).isEqualTo(ExitCode.OK);
    }

    @Test
    void withoutTheCa_theCommandSaysTheTlsHandshakeFailedInOneLine_andExitsAsUnreachable() throws Exception {
        CliSession hydrant = closer.keep(new CliSession(Files.createTempDirectory(dir, "home"), httpsUrl,
                tokens.reader("app-tls")));

        assertThat(hydrant.run("logs", "app-tls", "--recent")).isEqualTo(ExitCode.UNREACHABLE);

        assertThat(hydrant.errLines()).hasSize(1);
        assertThat(hydrant.errLines().get(0)).contains("TLS handshake failed").contains("hydrant login --ca-file");
        assertThat(hydrant.out()).isEmpty();
    }
}
