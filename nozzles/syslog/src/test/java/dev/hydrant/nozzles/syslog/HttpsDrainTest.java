package dev.hydrant.nozzles.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.syslog.servers.BindingsServer;
import dev.hydrant.nozzles.syslog.servers.HttpsDrainServer;
import dev.hydrant.nozzles.syslog.servers.NozzleRunner;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTPS drain receives one POST per message (https://), or messages concatenated in few POSTs (https-batch://);
 * with the binding's client certificate over mutual TLS.
 */
class HttpsDrainTest {

    private static final long AT = Envelopes.nanos("2026-11-28T08:00:20.5Z");

    @TempDir
    Path dir;

    private FakeTrafficController firehose;
    private BindingsServer bindings;
    private HttpsDrainServer drain;
    private NozzleRunner nozzle;
    private CertificateAuthority ca;
    private String caPem;

    @BeforeEach
    void start() throws Exception {
        ca = CertificateAuthority.create("drain-ca");
        caPem = Files.readString(ca.writeCertificate(dir.resolve("ca.crt")));
        drain = new HttpsDrainServer(ca);
        firehose = new FakeTrafficController().start();
        bindings = new BindingsServer();
    }

    @AfterEach
    void stop() {
        if (nozzle != null) {
            nozzle.close();
        }
        drain.close();
        bindings.close();
        firehose.close();
    }

    private static String expected(int i) {
        return "<14>1 2026-11-28T08:00:20.5+00:00 - app-1 [APP/PROC/WEB/0] - [tags@47450 source_type=\"APP/PROC/WEB\"] line "
                + i + "\n";
    }

    private static Envelope[] lines(int n) {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            envelopes.add(Envelopes.log("app-1", "0", Log.Type.OUT, "line " + i, AT));
        }
        return envelopes.toArray(Envelope[]::new);
    }

    @Test
    void anHttpsDrain_getsOnePostPerMessage_withTheUrlsCredentialsAsBasicAuth() {
        bindings.bind("https-1", "app-1", "https://user:s3cret@localhost:" + drain.port() + "/drain", null, null, caPem);
        nozzle = new NozzleRunner(firehose, bindings, Map.of()).awaitDrains(1);

        firehose.publish(lines(3));

        await().atMost(Patience.WAIT).until(() -> drain.posts().size() >= 3);
        assertThat(drain.posts()).extracting(body -> new String(body, StandardCharsets.UTF_8))
                .containsExactly(expected(0), expected(1), expected(2));
        String basic = "Basic " + Base64.getEncoder().encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(drain.authorizations()).containsOnly(basic);
        assertThat(nozzle.counter("syslog.drain.written", "https-1")).isEqualTo(3);
    }

    @Test
    void anHttpsBatchDrain_getsTheMessagesConcatenated_inFewerPosts() throws Exception {
        bindings.bind("batch-1", "app-1", "https-batch://localhost:" + drain.port() + "/drain", null, null, caPem);
        nozzle = new NozzleRunner(firehose, bindings, Map.of()).awaitDrains(1);

        firehose.publish(lines(50));

        await().atMost(Patience.WAIT).until(() -> nozzle.counter("syslog.drain.written", "batch-1") == 50);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] post : drain.posts()) {
            all.write(post);
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            expected.append(expected(i));
        }
        assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(drain.posts()).hasSizeLessThan(50);
    }

    @Test
    void anHttpsDrainAskingForAClientCertificate_getsTheBindingsOne_overMutualTls() throws Exception {
        try (HttpsDrainServer mutual = new HttpsDrainServer(ca, true, InetAddress.getLoopbackAddress())) {
            TlsFiles client = ca.issueFiles(Files.createDirectories(dir.resolve("client")), "app-1-drain");
            bindings.bind("mtls-1", "app-1", "https://localhost:" + mutual.port() + "/drain",
                    Files.readString(client.certFile()), Files.readString(client.keyFile()), caPem);
            nozzle = new NozzleRunner(firehose, bindings, Map.of()).awaitDrains(1);

            firehose.publish(lines(2));

            await().atMost(Patience.WAIT).until(() -> mutual.posts().size() >= 2);
            assertThat(mutual.posts()).extracting(body -> new String(body, StandardCharsets.UTF_8))
                    .containsExactly(expected(0), expected(1));
        }
    }
}
