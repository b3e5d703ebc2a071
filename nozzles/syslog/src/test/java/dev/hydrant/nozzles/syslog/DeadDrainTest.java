package dev.hydrant.nozzles.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.syslog.servers.BindingsServer;
import dev.hydrant.nozzles.syslog.servers.FakeMetron;
import dev.hydrant.nozzles.syslog.servers.NozzleRunner;
import dev.hydrant.nozzles.syslog.servers.SyslogReceiver;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One dead and one live drain on the same app: the live one gets every line, the dead one's loss is counted
 * and told to the app in its own log (through Metron) with Loggregator's words.
 */
class DeadDrainTest {

    private static final int CHUNK = 50;
    private static final int CHUNKS = 10;
    private static final int BUFFER = 100;

    @TempDir
    Path dir;

    @Test
    void theLiveDrainGetsEveryLine_andTheDeadDrainsLossIsCountedAndToldToTheApp() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca");
        TlsFiles metronTls = ca.issueFiles(Files.createDirectories(dir.resolve("metron")), "metron");
        TlsFiles nozzleTls = ca.issueFiles(Files.createDirectories(dir.resolve("nozzle")), "syslog-nozzle");
        // a port bound but not listening: every connect is refused, and no one else can take the port
        try (Socket dead = new Socket();
             SyslogReceiver live = new SyslogReceiver();
             FakeMetron metron = new FakeMetron(metronTls);
             FakeTrafficController firehose = new FakeTrafficController().start();
             BindingsServer bindings = new BindingsServer()) {
            dead.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String deadUrl = "syslog://localhost:" + dead.getLocalPort() + "/";
            bindings.bind("dead", "app-1", deadUrl).bind("live", "app-1", "syslog://localhost:" + live.port() + "/");
            try (NozzleRunner nozzle = new NozzleRunner(firehose, bindings, Map.of(
                    "hydrant.nozzle.syslog.buffer-size", Integer.toString(BUFFER),
                    "hydrant.nozzle.syslog.loss-report-interval", "300ms",
                    "hydrant.nozzle.syslog.metrics-interval", "300ms",
                    "hydrant.nozzle.syslog.metron.address", metron.address(),
                    "hydrant.nozzle.syslog.metron.cert-file", nozzleTls.certFile().toString(),
                    "hydrant.nozzle.syslog.metron.key-file", nozzleTls.keyFile().toString(),
                    "hydrant.nozzle.syslog.metron.ca-file", nozzleTls.caFile().toString()))) {
                nozzle.awaitDrains(2);

                // paced by the live drain: it never holds more than one chunk, so it has room for all
                for (int chunk = 0; chunk < CHUNKS; chunk++) {
                    List<Envelope> lines = Envelopes.logs("app-1", "line", chunk * CHUNK, (chunk + 1) * CHUNK);
                    firehose.publish(lines.toArray(Envelope[]::new));
                    int expected = (chunk + 1) * CHUNK;
                    await("the live drain has " + expected).atMost(Patience.WAIT)
                            .until(() -> live.messages().size() >= expected);
                }

                List<String> received = live.messages();
                assertThat(received).hasSize(CHUNK * CHUNKS);
                for (int i = 0; i < received.size(); i++) {
                    assertThat(received.get(i)).endsWith("] line-" + i + "\n");
                }
                assertThat(nozzle.counter("syslog.drain.dropped", "live")).isZero();
                assertThat(nozzle.counter("syslog.drain.failed", "live")).isZero();

                // the dead drain holds its last BUFFER lines and dropped the rest
                int lost = CHUNK * CHUNKS - BUFFER;
                await().atMost(Patience.WAIT).until(() -> nozzle.counter("syslog.drain.dropped", "dead") == lost);
                Pattern report = Pattern.compile("(\\d+) messages lost for application app-1 in user provided syslog "
                        + "drain with url " + Pattern.quote(deadUrl));
                await("loss reports adding up to " + lost).atMost(Patience.WAIT)
                        .until(() -> reported(metron, report) == lost);
                assertThat(metron.received().stream().filter(Envelope::hasLog)).allSatisfy(envelope -> {
                    assertThat(envelope.getSourceId()).isEqualTo("app-1");
                    assertThat(envelope.getTagsMap()).containsEntry("source_type", "LGR");
                    assertThat(envelope.getLog().getPayload().toStringUtf8()).matches(report);
                });
                // the nozzle's own meters reach the firehose through the same Metron
                await("the dead drain's dropped counter in the firehose").atMost(Patience.WAIT)
                        .until(() -> metron.received().stream().anyMatch(e -> e.getSourceId().equals("syslog_nozzle")
                                && e.getCounter().getName().equals("syslog.drain.dropped")
                                && "dead".equals(e.getTagsMap().get("drain")) && e.getCounter().getTotal() == lost));
            }
        }
    }

    private static long reported(FakeMetron metron, Pattern report) {
        long sum = 0;
        for (Envelope envelope : metron.received()) {
            if (!envelope.hasLog()) {
                continue;
            }
            Matcher matcher = report.matcher(envelope.getLog().getPayload().toStringUtf8());
            if (matcher.matches()) {
                sum += Long.parseLong(matcher.group(1));
            }
        }
        return sum;
    }
}
