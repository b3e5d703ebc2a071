package dev.hydrant.it.cli;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.cli.ExitCode;
import dev.hydrant.it.Pipe;
import dev.hydrant.it.trafficcontroller.Closer;
import dev.hydrant.it.trafficcontroller.LogEmitter;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.testsupport.tokens.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code hydrant} command against the real Traffic Controller, fed by an emitter through Metron and two
 * Dopplers: recent logs as {@code cf logs} prints them, oldest first, and the one-line refusals with their
 * exit codes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {

    /** How {@code cf logs} prints a line's time: hundredths of a second, numeric offset. */
    private static final DateTimeFormatter CF_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSZ")
            .withZone(ZoneOffset.UTC);

    /** Shared by the class's tests, as the pipe is. */
    @TempDir
    static Path dir;

    private final Closer closer = new Closer();
    private final Tokens tokens = new Tokens();
    private TrafficControllerNode tc;
    private final List<Envelope> sent = new ArrayList<>();

    @BeforeAll
    void startThePipeAndLog() throws Exception {
        Pipe pipe = closer.keep(Pipe.start(dir, 2, Map.of(), Map.of()));
        tc = closer.keep(TrafficControllerNode.start(pipe, "traffic-controller", pipe.dopplerAddresses(),
                tokens.writePublicKey(dir.resolve("uaa")), Map.of()));
        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        for (int round = 0; round < 12; round++) {
            sent.addAll(emitter.send("app-r", String.valueOf(round % 3), 10, 5, 0));
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pipe.dopplerMetric("ingress"))
                .as(() -> TrafficControllerNode.ledger(pipe, 2, tc)).isGreaterThanOrEqualTo(sent.size()));
    }

    @AfterAll
    void stop() throws Exception {
        closer.close();
    }

    private CliSession hydrant(String token) throws Exception {
        return new CliSession(Files.createTempDirectory(dir, "home"), tc.baseUrl(), token);
    }

    /** The line {@code cf logs} prints for a line the emitter sent. */
    private static String cfLine(Envelope sent) {
        return CF_TIME.format(Instant.ofEpochSecond(0, sent.getTimestamp())) + " [APP/PROC/WEB/" + sent.getInstanceId()
                + "] OUT " + sent.getLog().getPayload().toStringUtf8();
    }

    @Test
    void logsRecent_printsEveryCachedLineAsCfLogsDoes_oldestFirst() throws Exception {
        CliSession hydrant = hydrant(tokens.reader("app-r"));

        assertThat(hydrant.run("logs", "app-r", "--recent")).as(hydrant::err).isEqualTo(ExitCode.OK);

        assertThat(hydrant.outLines()).containsExactlyElementsOf(sent.stream().map(CliEndToEndTest::cfLine).toList());
        assertThat(hydrant.err()).isEmpty();
    }

    @Test
    void logsRecentWithALimit_printsTheNewestLines_oldestFirst() throws Exception {
        CliSession hydrant = hydrant(tokens.reader("app-r"));

        assertThat(hydrant.run("logs", "app-r", "--recent", "--limit", "25")).as(hydrant::err).isEqualTo(ExitCode.OK);

        assertThat(hydrant.outLines()).containsExactlyElementsOf(
                sent.subList(sent.size() - 25, sent.size()).stream().map(CliEndToEndTest::cfLine).toList());
    }

    @Test
    void logsWithATokenForAnotherApp_saysNotFoundInOneLine_andExitsWith5() throws Exception {
        String otherAppsToken = tokens.reader("app-other");
        String notFound = "no app 'app-r', or you may not read its logs (404)";

        CliSession recent = hydrant(otherAppsToken);
        assertThat(recent.run("logs", "app-r", "--recent")).isEqualTo(ExitCode.NOT_FOUND).isEqualTo(5);
        assertThat(recent.errLines()).containsExactly(notFound);
        assertThat(recent.out()).isEmpty();

        CliSession stream = hydrant(otherAppsToken);
        assertThat(stream.run("logs", "app-r")).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(stream.errLines()).containsExactly(notFound);
        assertThat(stream.out()).isEmpty();
    }

    @Test
    void firehoseWithoutAToken_saysLogInInOneLine_andExitsWith4() throws Exception {
        CliSession hydrant = hydrant(null);

        assertThat(hydrant.run("firehose")).isEqualTo(ExitCode.UNAUTHORIZED).isEqualTo(4);

        assertThat(hydrant.errLines()).containsExactly("not logged in or token rejected (401): run hydrant login");
        assertThat(hydrant.out()).isEmpty();
        assertThat(tc.metric("rejected_requests", "reason", "no_token")).isPositive();
    }
}
