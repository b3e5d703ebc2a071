package dev.hydrant.it.drains;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.cli.ExitCode;
import dev.hydrant.it.Pipe;
import dev.hydrant.it.cli.CliSession;
import dev.hydrant.it.trafficcontroller.EndToEnd;
import dev.hydrant.it.trafficcontroller.LogEmitter;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import dev.hydrant.testsupport.http.RecentClient;
import dev.hydrant.testsupport.syslog.Rsyslog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The drain path end to end, every part real: a user binds two drains to an app with {@code hydrant drain
 * create} (kept in the Traffic Controller's embedded H2), the app's lines go through Metron and a Doppler to the
 * Traffic Controller's firehose, and the syslog nozzle writes them to a real rsyslog over {@code syslog://}.
 * The app's second drain is dead (a port bound but not listening): what it loses is counted and told in the
 * app's own log, which the user reads back through the Traffic Controller, without the drain's credentials.
 */
class DrainEndToEndTest {

    private static final String APP = "app-drained";
    private static final String PROCID = "[APP/PROC/WEB/0]";
    /** Messages each drain holds: the dead one keeps this many and drops the rest. */
    private static final int BUFFER = 100;
    /**
     * Lines sent before the test waits for rsyslog to have them all: the live drain never holds more than a
     * chunk and the loss reports of the wait (one a second), so its buffer has room however slow the machine.
     */
    private static final int CHUNK = 25;
    private static final int CHUNKS = 12;
    private static final int LINES = CHUNK * CHUNKS;

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    @Test
    void theLiveDrainGetsEveryLine_andTheDeadDrainsLossIsCountedAndToldInTheAppsOwnLog() throws Exception {
        Pipe pipe = e2e.pipe(1);
        TrafficControllerNode tc = e2e.trafficController(pipe,
                Map.of("hydrant.traffic-controller.drains.allowed-ranges", "127.0.0.0/8"));
        Rsyslog rsyslog = e2e.keep(Rsyslog.tcp(Files.createDirectories(e2e.dir().resolve("rsyslog"))));
        // a port bound but not listening: every connect is refused, and nothing else can take the port
        Socket dead = e2e.keep(new Socket());
        dead.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        String reader = e2e.tokens().reader(APP);
        String liveId = bind(tc, reader, "syslog://127.0.0.1:" + rsyslog.port());
        String deadId = bind(tc, reader, "syslog://drainer:s3cret@127.0.0.1:" + dead.getLocalPort());

        double subscriptions = pipe.dopplerMetric("subscriptions");
        SyslogNozzleNode nozzle = e2e.keep(SyslogNozzleNode.start(pipe, tc, e2e.tokens().admin(), BUFFER, "1s"));
        await("the nozzle's two drains and its firehose").atMost(PATIENCE)
                .until(() -> nozzle.drains() == 2 && pipe.dopplerMetric("subscriptions") > subscriptions);

        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        Supplier<String> ledger = () -> TrafficControllerNode.ledger(pipe, 1, tc) + "; "
                + nozzle.ledger(liveId, deadId) + "; " + rsyslog.log();
        List<Envelope> sent = new ArrayList<>();
        for (int chunk = 1; chunk <= CHUNKS; chunk++) {
            sent.addAll(emitter.send(APP, "0", CHUNK, 5, 0));
            await("rsyslog has " + sent.size() + " lines").atMost(PATIENCE).untilAsserted(
                    () -> assertThat(appLines(rsyslog)).as(ledger).hasSizeGreaterThanOrEqualTo(sent.size()));
        }

        // the live drain: every line, once, with its app name, procid, priority, time and message
        assertThat(appLines(rsyslog)).as(ledger).containsExactlyInAnyOrderElementsOf(sent.stream()
                .map(line -> List.of("14", at(line.getTimestamp()).toString(), APP, PROCID,
                        line.getLog().getPayload().toStringUtf8()))
                .toList());
        assertThat(nozzle.counter(DrainMetrics.DROPPED, liveId)).as(ledger).isZero();
        assertThat(nozzle.counter(DrainMetrics.FAILED, liveId)).as(ledger).isZero();

        // the dead drain: never written, its loss counted (it holds BUFFER, the rest were pushed out)
        assertThat(nozzle.counter(DrainMetrics.WRITTEN, deadId)).as(ledger).isZero();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(nozzle.counter(DrainMetrics.DROPPED, deadId))
                .as(ledger).isGreaterThanOrEqualTo(LINES - BUFFER));

        // ... and told in the app's own log, read through the Traffic Controller, credentials left out
        Pattern report = Pattern.compile("\\d+ messages lost for application " + APP
                + " in user provided syslog drain with url syslog://127\\.0\\.0\\.1:" + dead.getLocalPort() + "/?");
        List<LogFactory.LogMessage> reports = new ArrayList<>();
        await("the loss told in the app's recent logs").atMost(PATIENCE).untilAsserted(() -> {
            reports.clear();
            RecentClient.Multipart recent = RecentClient.recentLogs(tc.http("/apps/" + APP + "/recentlogs"), reader);
            assertThat(recent.status()).isEqualTo(200);
            recent.envelopes().stream().filter(EventFactory.Envelope::hasLogMessage).map(EventFactory.Envelope::getLogMessage)
                    .filter(log -> log.getSourceType().equals("LGR")).forEach(reports::add);
            assertThat(reports).as(ledger).isNotEmpty();
        });
        assertThat(reports).allSatisfy(log -> {
            assertThat(log.getAppId()).isEqualTo(APP);
            assertThat(log.getMessageType()).isEqualTo(LogFactory.LogMessage.MessageType.ERR);
            assertThat(log.getMessage().toStringUtf8()).matches(report).doesNotContain("s3cret").doesNotContain("drainer");
        });
        // the live drain gets the app's whole log, these reports too; nothing else, and never the credentials
        assertThat(received(rsyslog)).filteredOn(fields -> !fields.get(4).equals(PROCID)).allSatisfy(fields -> {
            assertThat(fields.get(3)).isEqualTo(APP);
            assertThat(fields.get(7)).matches(report);
        });
        assertThat(rsyslog.messages()).noneSatisfy(fields -> assertThat(String.join("\t", fields)).contains("s3cret"));
    }

    /** Binds {@code url} to the app as a user does; answers the binding's id. */
    private String bind(TrafficControllerNode tc, String token, String url) throws Exception {
        CliSession hydrant = new CliSession(Files.createTempDirectory(e2e.dir(), "home"), tc.baseUrl(), token);
        assertThat(hydrant.run("drain", "create", APP, url)).as(hydrant::err).isEqualTo(ExitCode.OK);
        String line = hydrant.outLines().get(0);
        assertThat(line).startsWith("Drain ").contains(" bound to " + APP + ": ").doesNotContain("s3cret");
        return line.split(" ")[1];
    }

    /** The app's lines rsyslog received (not Loggregator's own lines about the app): PRI, time, APP-NAME, PROCID, MSG. */
    private static List<List<String>> appLines(Rsyslog rsyslog) {
        return received(rsyslog).stream().filter(fields -> fields.get(4).equals(PROCID))
                .map(fields -> List.of(fields.get(0), OffsetDateTime.parse(fields.get(1)).toInstant().toString(),
                        fields.get(3), fields.get(4), fields.get(7)))
                .toList();
    }

    /** What rsyslog wrote out whole so far (a line it is writing may be read in part). */
    private static List<List<String>> received(Rsyslog rsyslog) {
        return rsyslog.messages().stream().filter(fields -> fields.size() == 8).toList();
    }

    /** An envelope's time as a syslog TIMESTAMP carries it: to the microsecond. */
    private static Instant at(long unixNanos) {
        return Instant.ofEpochSecond(0, unixNanos).truncatedTo(ChronoUnit.MICROS);
    }
}
