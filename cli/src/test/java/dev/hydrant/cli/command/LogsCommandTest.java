package dev.hydrant.cli.command;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.api.json.EnvelopeJson;
import dev.hydrant.cli.CliRun;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code hydrant logs} against a server that speaks the Traffic Controller's wire. */
class LogsCommandTest {

    @TempDir
    Path home;

    private final FakeTrafficController server = new FakeTrafficController().token("dev-token", "app-1");

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun cli(String token) {
        return new CliRun(home, token == null ? Map.of("HYDRANT_TARGET", server.baseUrl())
                : Map.of("HYDRANT_TARGET", server.baseUrl(), "HYDRANT_TOKEN", token));
    }

    private CliRun streaming(String... args) {
        CliRun run = cli("dev-token").start(args);
        await().atMost(Duration.ofSeconds(15)).until(() -> server.subscribers() == 1);
        return run;
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "sse"})
    void streamsLogsAsCfLogsPrintsThem_andNoMetrics(String transport) {
        CliRun run = streaming("logs", "app-1", "--transport", transport);

        server.publish(log("app-1", "0", Log.Type.OUT, "hello\n", nanos("2026-11-21T10:00:00.25Z")),
                counter("app-1", "requests", 1, 1, nanos("2026-11-21T10:00:00.30Z")),
                log("app-2", "not mine", nanos("2026-11-21T10:00:00.35Z")),
                log("app-1", "1", Log.Type.ERR, "oops", nanos("2026-11-21T10:00:00.40Z")));
        run.awaitOut("oops");

        assertThat(run.interrupt()).isEqualTo(ExitCode.OK);
        assertThat(run.outLines()).containsExactly(
                "2026-11-21T10:00:00.25+0000 [APP/PROC/WEB/0] OUT hello",
                "2026-11-21T10:00:00.40+0000 [APP/PROC/WEB/1] ERR oops");
        assertThat(run.err()).isEmpty();
        assertThat(server.requests().get(0)).endsWith("| bearer dev-token");
    }

    @Test
    void linesArrivingOutOfOrderWithinTheWindow_arePrintedInTimestampOrder() {
        CliRun run = streaming("logs", "app-1");

        // one batch, newest first: the lines arrive together, well within the 300 ms window however busy
        // the machine (published apart, a pause between them could outlast the window)
        server.publish(log("app-1", "third", nanos("2026-11-21T10:00:03Z")),
                log("app-1", "first", nanos("2026-11-21T10:00:01Z")),
                log("app-1", "second", nanos("2026-11-21T10:00:02Z")));
        run.awaitOut("third");

        run.interrupt();
        assertThat(run.outLines()).extracting(line -> line.substring(line.lastIndexOf(' ') + 1))
                .containsExactly("first", "second", "third");
    }

    @Test
    void recent_printsTheRecentLogsOldestFirstAndExits() {
        server.recentLogs("app-1", List.of(log("app-1", "newer", nanos("2026-11-21T10:00:02Z")),
                log("app-1", "older", nanos("2026-11-21T10:00:01Z"))));

        CliRun run = cli("dev-token");
        assertThat(run.run("logs", "app-1", "--recent")).isEqualTo(ExitCode.OK);

        assertThat(run.outLines()).containsExactly(
                "2026-11-21T10:00:01.00+0000 [APP/PROC/WEB/0] OUT older",
                "2026-11-21T10:00:02.00+0000 [APP/PROC/WEB/0] OUT newer");
        assertThat(server.requests().get(0)).startsWith("GET /apps/app-1/recentlogs?limit=1000 ");
    }

    @Test
    void json_printsOneProto3JsonEnvelopePerLine() {
        server.recentLogs("app-1", List.of(log("app-1", "one", nanos("2026-11-21T10:00:01Z")),
                log("app-1", "two", nanos("2026-11-21T10:00:02Z"))));

        CliRun run = cli("dev-token");
        assertThat(run.run("logs", "app-1", "--recent", "--json")).isEqualTo(ExitCode.OK);

        List<Envelope> parsed = run.outLines().stream().map(EnvelopeJson::envelopeFromJson).toList();
        assertThat(parsed).extracting(e -> e.getLog().getPayload().toStringUtf8()).containsExactly("one", "two");
        assertThat(parsed.get(0).getSourceId()).isEqualTo("app-1");
        assertThat(parsed.get(0).getTimestamp()).isEqualTo(nanos("2026-11-21T10:00:01Z"));
    }

    @Test
    void json_whileStreaming_printsParsableLines() {
        CliRun run = streaming("logs", "app-1", "--json");

        server.publish(log("app-1", "streamed", nanos("2026-11-21T10:00:01Z")));
        run.awaitOut("\n");
        run.interrupt();

        assertThat(EnvelopeJson.envelopeFromJson(run.outLines().get(0)).getLog().getPayload().toStringUtf8())
                .isEqualTo("streamed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "sse"})
    void anAppTheTokenMayNotRead_endsWithOneLineAnd404(String transport) {
        CliRun run = cli("dev-token");

        assertThat(run.run("logs", "secret-app", "--transport", transport)).isEqualTo(ExitCode.NOT_FOUND);

        assertThat(run.errLines()).containsExactly("no app 'secret-app', or you may not read its logs (404)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withoutAToken_endsWithOneLineAnd401() {
        CliRun run = cli(null);

        assertThat(run.run("logs", "app-1")).isEqualTo(ExitCode.UNAUTHORIZED);

        assertThat(run.errLines()).containsExactly("not logged in or token rejected (401): run hydrant login");
    }

    @Test
    void recentWithoutAToken_endsWithOneLineAnd401() {
        CliRun run = cli(null);

        assertThat(run.run("logs", "app-1", "--recent")).isEqualTo(ExitCode.UNAUTHORIZED);

        assertThat(run.errLines()).containsExactly("not logged in or token rejected (401): run hydrant login");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--recent", "--json"})
    void anUnreachableTrafficController_endsWithOneLine(String option) throws Exception {
        // a port that is bound (no one else can take it) but not listening: connections are refused
        try (Socket notListening = new Socket()) {
            notListening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String target = "http://127.0.0.1:" + notListening.getLocalPort();
            CliRun run = new CliRun(home, Map.of("HYDRANT_TARGET", target, "HYDRANT_TOKEN", "dev-token"));

            assertThat(run.run("logs", "app-1", option)).isEqualTo(ExitCode.UNREACHABLE);

            assertThat(run.errLines()).containsExactly(
                    "cannot reach the Traffic Controller at " + target + ": connection refused");
        }
    }
}
