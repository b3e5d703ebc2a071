package dev.hydrant.nozzle.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.nozzle.wire.FakeTokenEndpoint;
import dev.hydrant.nozzle.wire.TlsProxy;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** hydrant.nozzle.ca-file, cert-file and key-file as a nozzle app sees them, and its health when refused. */
class NozzleTlsAndHealthTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NozzleAutoConfiguration.class))
            .withBean(NozzleSink.class, () -> batch -> { })
            .withPropertyValues("hydrant.nozzle.reconnect.min-backoff=50ms", "hydrant.nozzle.reconnect.max-backoff=200ms");

    @Test
    void withTheCaFile_theTrafficControllerAndTheTokenEndpointAreReachedOverHttps() throws Exception {
        TlsFiles tls = CertificateAuthority.create("nozzle-ca").issueFiles(dir, "server");
        try (FakeTrafficController server = new FakeTrafficController().start().token("token-1", "*");
             FakeTokenEndpoint uaa = new FakeTokenEndpoint("nozzle", "secret", 3600);
             TlsProxy tc = new TlsProxy(tls, false, server.port());
             TlsProxy tokens = new TlsProxy(tls, false, uaa.tokenUri().getPort())) {
            runner.withPropertyValues("hydrant.nozzle.url=https://127.0.0.1:" + tc.port(),
                            "hydrant.nozzle.ca-file=" + tls.caFile(),
                            "hydrant.nozzle.client-id=nozzle", "hydrant.nozzle.client-secret=secret",
                            "hydrant.nozzle.token-url=https://127.0.0.1:" + tokens.port() + "/oauth/token")
                    .run(context -> {
                        await().atMost(Duration.ofSeconds(30)).until(() -> server.subscribers() == 1);
                        assertThat(uaa.issued()).isEqualTo(1);
                        await().atMost(Duration.ofSeconds(30)).until(() ->
                                context.getBean(NozzleHealthIndicator.class).health().getStatus().equals(Status.UP));
                    });
        }
    }

    @Test
    void aRefusedToken_turnsHealthDown_withWhatToFix() {
        try (FakeTrafficController server = new FakeTrafficController().start().token("good", "*")) {
            runner.withPropertyValues("hydrant.nozzle.url=" + server.baseUrl(), "hydrant.nozzle.token=stale")
                    .run(context -> {
                        NozzleHealthIndicator indicator = context.getBean(NozzleHealthIndicator.class);
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> !String.valueOf(indicator.health().getDetails().get("problem")).isEmpty());
                        Health health = indicator.health();
                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(health.getDetails().get("problem")).asString()
                                .contains("refused the token").contains("check hydrant.nozzle.token");
                        assertThat(health.getDetails().get("connected")).isEqualTo(false);
                    });
        }
    }

    @Test
    void reactorNettysPerAttemptWarnings_areQuietInANozzleApp() {
        runner.withPropertyValues("hydrant.nozzle.url=http://127.0.0.1:1").run(context -> {
            assertThat(((Logger) LoggerFactory.getLogger("reactor.netty.http.client.HttpClientConnect")).getLevel())
                    .isEqualTo(Level.ERROR);
            assertThat(((Logger) LoggerFactory.getLogger("reactor.netty.channel.FluxReceive")).getLevel())
                    .isEqualTo(Level.ERROR);
        });
    }

    @Test
    void aMissingCaFile_stopsTheStartNamingTheSetting() {
        runner.withPropertyValues("hydrant.nozzle.ca-file=" + dir.resolve("missing.crt"))
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("hydrant.nozzle.ca-file").hasMessageContaining("does not exist"));
    }

    @Test
    void aCaFileWithoutACertificate_stopsTheStartNamingTheSetting() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.crt"), "not a certificate\n");
        runner.withPropertyValues("hydrant.nozzle.ca-file=" + notPem)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("hydrant.nozzle.ca-file").hasMessageContaining("holds no PEM certificate"));
    }

    @Test
    void aClientCertificateWithoutItsKey_stopsTheStartNamingTheSetting() {
        TlsFiles tls = CertificateAuthority.create("nozzle-ca").issueFiles(dir, "nozzle");
        runner.withPropertyValues("hydrant.nozzle.cert-file=" + tls.certFile())
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("hydrant.nozzle.key-file").hasMessageContaining("is required"));
    }
}
