package dev.hydrant.nozzles.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.nozzles.syslog.servers.BindingsServer;
import dev.hydrant.nozzles.syslog.servers.NozzleRunner;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import dev.hydrant.testsupport.syslog.Rsyslog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rsyslog receives an app's lines and metrics from the nozzle, over syslog:// and over syslog-tls://
 * with mutual TLS, and parses each RFC 5424 field as docs/wire.md section 7 says it is written.
 */
class RsyslogDrainTest {

    private static final long AT = Envelopes.nanos("2026-11-28T08:00:20.123456789Z");
    private static final String TAGS = "[tags@47450 app_name=\"My App\" organization_name=\"my-org\" "
            + "source_type=\"APP/PROC/WEB\" space_name=\"dev\"]";

    @TempDir
    Path dir;

    private FakeTrafficController firehose;
    private BindingsServer bindings;
    private NozzleRunner nozzle;
    private Rsyslog rsyslog;

    @BeforeEach
    void start() throws Exception {
        firehose = new FakeTrafficController().start();
        bindings = new BindingsServer();
    }

    @AfterEach
    void stop() {
        if (nozzle != null) {
            nozzle.close();
        }
        if (rsyslog != null) {
            rsyslog.close();
        }
        bindings.close();
        firehose.close();
    }

    private static Envelope.Builder fromApp() {
        return Envelope.newBuilder().setSourceId("app-1").setInstanceId("0").setTimestamp(AT)
                .putTags("source_type", "APP/PROC/WEB")
                .putTags("organization_name", "my-org").putTags("space_name", "dev").putTags("app_name", "My App");
    }

    @Test
    void anAppsLogAndCounter_reachRsyslogOverTcp_fieldByField() throws Exception {
        rsyslog = Rsyslog.tcp(Files.createDirectories(dir.resolve("rsyslog")));
        bindings.bind("drain-1", "app-1", "syslog://localhost:" + rsyslog.port() + "/?drain-type=all");
        nozzle = new NozzleRunner(firehose, bindings, Map.of()).awaitDrains(1);

        firehose.publish(
                Envelopes.log("other-app", "not bound here"),
                fromApp().setLog(Log.newBuilder().setType(Log.Type.ERR).setPayload(ByteString.copyFromUtf8("hello rsyslog\n"))).build(),
                fromApp().setCounter(Counter.newBuilder().setName("requests").setTotal(10).setDelta(2)).build());

        await().atMost(Patience.WAIT).untilAsserted(() -> assertThat(rsyslog.messages()).as(rsyslog::log).hasSizeGreaterThan(1));
        List<List<String>> messages = rsyslog.messages();
        assertThat(messages).as(rsyslog.log()).hasSize(2);
        assertThat(messages.get(0)).containsExactly("11", "2026-11-28T08:00:20.123456+00:00", "my-org.dev.My-App",
                "app-1", "[APP/PROC/WEB/0]", "-", TAGS, "hello rsyslog");
        assertThat(messages.get(1)).containsExactly("14", "2026-11-28T08:00:20.123456+00:00", "my-org.dev.My-App",
                "app-1", "[0]", "-", "[counter@47450 name=\"requests\" total=\"10\" delta=\"2\"]" + TAGS, "");
        assertThat(nozzle.counter("syslog.drain.written", "drain-1")).isEqualTo(2);
    }

    @Test
    void anAppsLines_reachRsyslogOverTlsWithAClientCertificate_fieldByField() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("drain-ca");
        TlsFiles server = ca.issueFiles(Files.createDirectories(dir.resolve("server")), "drain.test");
        rsyslog = Rsyslog.tls(Files.createDirectories(dir.resolve("rsyslog")),
                new Rsyslog.ServerTls(server.certFile(), server.keyFile(), server.caFile()));
        Path client = Files.createDirectories(dir.resolve("client"));
        CertificateAuthority.Issued nozzleCert = ca.issue("syslog-nozzle");
        String cert = Files.readString(nozzleCert.writeCertificate(client.resolve("nozzle.crt")));
        String key = Files.readString(nozzleCert.writeKey(client.resolve("nozzle.key")));
        String caPem = Files.readString(server.caFile());
        bindings.bind("tls-1", "app-1", "syslog-tls://localhost:" + rsyslog.port() + "/?disable-metadata=true",
                cert, key, caPem);
        nozzle = new NozzleRunner(firehose, bindings, Map.of()).awaitDrains(1);

        firehose.publish(fromApp().setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("over tls"))).build());

        await().atMost(Patience.WAIT).untilAsserted(() -> assertThat(rsyslog.messages()).as(rsyslog::log).isNotEmpty());
        assertThat(rsyslog.messages()).as(rsyslog.log()).containsExactly(List.of("14", "2026-11-28T08:00:20.123456+00:00",
                "my-org.dev.My-App", "app-1", "[APP/PROC/WEB/0]", "-", "-", "over tls"));
    }
}
