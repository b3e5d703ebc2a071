package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.Health;
import dev.hydrant.nozzles.splunk.servers.LogCapture;
import dev.hydrant.nozzles.splunk.servers.ServerTls;
import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTTPS HEC signed by the test's own CA: trusted through ca-file; without it, one clear ERROR and health DOWN. */
class TlsTest {

    @TempDir
    Path dir;

    private FakeTrafficController firehose;
    private FakeHec hec;
    private SplunkNozzleRunner nozzle;
    private Path caFile;

    @BeforeEach
    void start() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("hec-test-ca");
        caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        firehose = new FakeTrafficController().start();
        hec = new FakeHec("hec-token", ServerTls.issuedBy(ca), true);
    }

    @AfterEach
    void stop() {
        if (nozzle != null) {
            nozzle.close();
        }
        hec.close();
        firehose.close();
    }

    @Test
    void anHttpsHec_signedByTheCaOfCaFile_getsTheEvents() {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("https"), Map.of("hydrant.nozzle.splunk.ca-file", caFile.toString()));

        firehose.publish(Envelopes.log("app-1", "over TLS"));

        await().atMost(Patience.WAIT).until(() -> hec.events().size() == 1);
        assertThat(hec.events().get(0).path("event").path("msg").asString()).isEqualTo("over TLS");
        await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.sent") == 1);
    }

    @Test
    void anHttpsHec_notSignedByATrustedCa_isOneErrorNamingCaFile_andHealthDown() throws Exception {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("https"), Map.of());
        try (LogCapture log = new LogCapture()) {
            firehose.publish(Envelopes.log("app-1", "not trusted"));
            await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.rejected", "reason", "tls") == 1);
            firehose.publish(Envelopes.log("app-1", "still not trusted"));
            await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.rejected", "reason", "tls") == 2);

            assertThat(log.at(Level.ERROR)).singleElement()
                    .satisfies(error -> assertThat(error.getFormattedMessage()).contains("hydrant.nozzle.splunk.ca-file"));
            assertThat(Health.status(nozzle.port(), "splunk")).isEqualTo("DOWN");
            assertThat(hec.events()).isEmpty();
        }
    }
}
