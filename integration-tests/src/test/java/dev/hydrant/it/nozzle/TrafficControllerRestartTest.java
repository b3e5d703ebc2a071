package dev.hydrant.it.nozzle;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.it.Pipe;
import dev.hydrant.it.cli.CliSession;
import dev.hydrant.it.trafficcontroller.EndToEnd;
import dev.hydrant.it.trafficcontroller.LogEmitter;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.nozzle.client.ReconnectPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Traffic Controller is killed (its context closed) and restarted on the same ports under a running
 * nozzle ({@link LogFileNozzle}, SSE) and a running {@code hydrant logs} (websocket): both resume by
 * themselves, each says "lost" once and "back" once however many attempts the outage takes, and the lines
 * logged after the restart arrive.
 */
class TrafficControllerRestartTest {

    private static final String NOZZLE_STREAM = "firehose 'it-restart'";
    private static final String CLI_STREAM = "stream of [app-t]";

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    @Test
    void whenTheTrafficControllerRestarts_aNozzleAndHydrantLogsResumeByThemselves_andSaySoOnce() throws Exception {
        Pipe pipe = e2e.pipe(1);
        AtomicReference<TrafficControllerNode> tc = new AtomicReference<>(e2e.trafficController(pipe, Map.of()));
        ConnectionLogCapture sdkLog = e2e.keep(new ConnectionLogCapture());
        Path file = e2e.dir().resolve("nozzle.log");
        ConfigurableApplicationContext nozzle = e2e.keep(ConnectionLogCapture.start(() -> LogFileNozzle.run(
                "--hydrant.nozzle.url=" + tc.get().baseUrl(),
                "--hydrant.nozzle.token=" + e2e.tokens().admin(),
                "--hydrant.nozzle.subscription-id=it-restart",
                "--hydrant.nozzle.reconnect.min-backoff=100ms",
                "--hydrant.nozzle.reconnect.max-backoff=1s",
                "--nozzle.file=" + file)));
        // the CLI's own backoff, but quicker at most so that the test does not wait 5 s for its next attempt
        CliSession hydrant = e2e.keep(new CliSession(Files.createDirectory(e2e.dir().resolve("home")), tc.get().baseUrl(),
                e2e.tokens().reader("app-t"), new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5,
                        ReconnectPolicy.DEFAULT_IDLE_TIMEOUT))
                .start("logs", "app-t"));
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= 2);
        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        logUntilBothRead(emitter, hydrant, file);

        tc.get().close();
        await().atMost(PATIENCE).until(() -> hydrant.err().contains("connection lost, reconnecting..."));
        // the outage lasts several attempts of each stream
        await().atMost(PATIENCE).until(() -> sdkLog.lines(Level.DEBUG, "Still disconnected", NOZZLE_STREAM).size() >= 3
                && sdkLog.lines(Level.DEBUG, "Still disconnected", CLI_STREAM).size() >= 3);
        tc.set(e2e.keep(ConnectionLogCapture.start(tc.get()::startAgain)));

        logUntilBothRead(emitter, hydrant, file);
        List<Envelope> after = emitter.send("app-t", "1", 200, 20, 0);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(NozzleEndToEndTest.linesOf(file))
                    .containsAll(after.stream().map(NozzleEndToEndTest::fileLine).toList());
            assertThat(hydrant.out()).contains(after.stream().map(e -> "[APP/PROC/WEB/1] OUT "
                    + e.getLog().getPayload().toStringUtf8() + "\n").toList());
        });

        assertThat(hydrant.interrupt()).isEqualTo(ExitCode.OK);
        nozzle.close();
        assertThat(hydrant.errLines()).containsExactly("connection lost, reconnecting...", "reconnected");
        for (String stream : List.of(NOZZLE_STREAM, CLI_STREAM)) {
            assertThat(sdkLog.lines(Level.WARN, "", stream)).as(stream)
                    .singleElement().asString().startsWith("Lost connection to ");
            assertThat(sdkLog.lines(Level.INFO, "Reconnected", stream)).as(stream).hasSize(1);
            assertThat(sdkLog.lines(Level.INFO, "Connected", stream)).as(stream).hasSize(1);
        }
    }

    /** Logs a line of app-t at a time until both the nozzle and the CLI have read one more line. */
    private static void logUntilBothRead(LogEmitter emitter, CliSession hydrant, Path file) throws Exception {
        int fileLines = appLines(file);
        int printed = hydrant.outLines().size();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            emitter.send("app-t", "0", 1, 1, 0);
            return appLines(file) > fileLines && hydrant.outLines().size() > printed;
        });
    }

    private static int appLines(Path file) throws Exception {
        return (int) NozzleEndToEndTest.linesOf(file).stream().filter(line -> line.startsWith("app-t/")).count();
    }
}
