package dev.hydrant.doppler;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Selectors.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hydrant.doppler.config.DopplerServer;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OutputCaptureExtension.class)
class DopplerLifecycleTest {

    @Test
    void missingCertFile_stopsStartUpNamingTheSetting(@TempDir Path directory, CapturedOutput output) {
        TlsFiles real = CertificateAuthority.create("test-ca").issueFiles(directory, "doppler");
        TlsFiles missingCert = new TlsFiles(directory.resolve("nowhere.crt"), real.keyFile(), real.caFile());

        assertThatThrownBy(() -> TestDoppler.application(missingCert).run())
                .satisfies(e -> assertThat(rootSetting(e)).isEqualTo("hydrant.doppler.tls.cert-file"));
        assertThat(output).contains("Invalid setting hydrant.doppler.tls.cert-file").contains("nowhere.crt");
    }

    @Test
    void unreadableKeyFile_stopsStartUpNamingTheSetting(@TempDir Path directory) throws Exception {
        TlsFiles real = CertificateAuthority.create("test-ca").issueFiles(directory, "doppler");
        Path notAKey = Files.writeString(directory.resolve("not-a.key"), "hello");
        TlsFiles badKey = new TlsFiles(real.certFile(), notAKey, real.caFile());

        assertThatThrownBy(() -> TestDoppler.application(badKey).run())
                .satisfies(e -> assertThat(rootSetting(e)).isEqualTo("hydrant.doppler.tls.key-file"));
    }

    @Test
    void invalidSetting_isRefusedAtStartUpNamingIt(@TempDir Path directory) {
        TlsFiles real = CertificateAuthority.create("test-ca").issueFiles(directory, "doppler");
        assertThatThrownBy(() -> TestDoppler.application(real, "hydrant.doppler.subscriber-buffer-size=0").run())
                .hasStackTraceContaining("subscriberBufferSize");
    }

    @Test
    void subscriberAndEgressBufferBytesBelowOneKibibyte_areRefusedAtStartUpNamingThem(@TempDir Path directory) {
        TlsFiles real = CertificateAuthority.create("test-ca").issueFiles(directory, "doppler");
        assertThatThrownBy(() -> TestDoppler.application(real, "hydrant.doppler.subscriber-buffer-bytes=100").run())
                .hasStackTraceContaining("subscriberBufferBytes");
        assertThatThrownBy(() -> TestDoppler.application(real, "hydrant.doppler.egress-buffer-bytes=0").run())
                .hasStackTraceContaining("egressBufferBytes");
    }

    @Test
    void negativeShutdownGrace_isRefusedAtStartUpNamingIt(@TempDir Path directory) {
        TlsFiles real = CertificateAuthority.create("test-ca").issueFiles(directory, "doppler");
        assertThatThrownBy(() -> TestDoppler.application(real, "hydrant.doppler.shutdown-grace=-1s").run())
                .hasStackTraceContaining("shutdownGrace");
    }

    @Test
    void shutdown_completesOpenEgressStreams(@TempDir Path directory) throws Exception {
        TestDoppler doppler = TestDoppler.start(directory);
        try {
            Subscription<EnvelopeBatch> subscriber = Subscription.batched(doppler,
                    EgressBatchRequest.newBuilder().addSelectors(logs("bye")).build());
            doppler.awaitSubscriptions(1);
            Ingress.send(doppler, List.of(log("bye", "last words")));
            await().until(() -> subscriber.count() == 1);

            doppler.context.close();

            await().until(subscriber::completed);
            assertThat(subscriber.error()).isNull();
        } finally {
            doppler.close();
        }
    }

    @Test
    void aPortStillHeldAtStart_isTriedAgainUntilItIsFree(@TempDir Path directory, CapturedOutput output)
            throws Exception {
        TlsFiles tls = CertificateAuthority.create("test-ca").issueFiles(directory, "doppler");
        ServerSocket previous = new ServerSocket();
        previous.setReuseAddress(true);
        previous.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = previous.getLocalPort();
        CompletableFuture<ConfigurableApplicationContext> restarted = CompletableFuture.supplyAsync(() ->
                TestDoppler.application(tls, "hydrant.doppler.port=" + port).run());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().contains("address in use, trying again"));
        } finally {
            previous.close();
        }

        try (ConfigurableApplicationContext doppler = restarted.get(60, TimeUnit.SECONDS)) {
            assertThat(doppler.getBean(DopplerServer.class).port()).isEqualTo(port);
        }
    }

    private static String rootSetting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidSettingException invalid) {
                return invalid.setting();
            }
        }
        return null;
    }
}
