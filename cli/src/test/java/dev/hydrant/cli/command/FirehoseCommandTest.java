package dev.hydrant.cli.command;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.gauge;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.api.json.EnvelopeJson;
import dev.hydrant.cli.CliRun;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hydrant firehose} against a server that speaks the Traffic Controller's wire. */
class FirehoseCommandTest {

    @TempDir
    Path home;

    private final FakeTrafficController server = new FakeTrafficController().token("app-token", "app-1");

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun cli(String token) {
        return new CliRun(home, Map.of("HYDRANT_TARGET", server.baseUrl(), "HYDRANT_TOKEN", token));
    }

    @Test
    void printsEveryEnvelopeOfEverySource_logsPrefixedBySourceId() {
        CliRun run = cli(FakeTrafficController.ADMIN).start("firehose", "--subscription-id", "mine", "--transport", "sse");
        await().atMost(Duration.ofSeconds(15)).until(() -> server.subscribers() == 1);

        long at = nanos("2026-11-21T10:00:00Z");
        server.publish(log("app-1", "hello", at), counter("app-2", "requests", 3, 10, at), gauge("app-3", at));
        run.awaitOut("GAUGE");

        assertThat(run.interrupt()).isEqualTo(ExitCode.OK);
        assertThat(run.outLines()).containsExactly(
                "app-1 2026-11-21T10:00:00.00+0000 [APP/PROC/WEB/0] OUT hello",
                "app-2 2026-11-21T10:00:00.00+0000 [0] COUNTER requests delta=3 total=10",
                "app-3 2026-11-21T10:00:00.00+0000 [1] GAUGE cpu=12.5 percentage, memory=1048576 bytes");
        assertThat(server.requests().get(0)).startsWith("GET /v2/read?shard_id=mine&log&counter&gauge&timer&event ");
    }

    @Test
    void typeLogs_readsOnlyLogs_asJson() {
        CliRun run = cli(FakeTrafficController.ADMIN).start("firehose", "--type", "logs", "--json");
        await().atMost(Duration.ofSeconds(15)).until(() -> server.subscribers() == 1);

        long at = nanos("2026-11-21T10:00:00Z");
        server.publish(counter("app-2", "requests", 3, 10, at), log("app-1", "only me", at));
        run.awaitOut("\n");
        run.interrupt();

        assertThat(run.outLines()).singleElement()
                .satisfies(line -> assertThat(EnvelopeJson.envelopeFromJson(line).getLog().getPayload().toStringUtf8())
                        .isEqualTo("only me"));
        assertThat(server.requests().get(0)).matches("GET /firehose/hydrant-cli-[0-9a-f]{8}\\?filter-type=logs .*");
    }

    @Test
    void aTokenWithoutFirehoseScope_endsWithOneLineAnd401() {
        CliRun run = cli("app-token");

        assertThat(run.run("firehose")).isEqualTo(ExitCode.UNAUTHORIZED);

        assertThat(run.errLines()).containsExactly("not logged in or token rejected (401): run hydrant login");
    }

    @Test
    void anUnknownType_isAUsageError() {
        CliRun run = cli(FakeTrafficController.ADMIN);

        assertThat(run.run("firehose", "--type", "logs,traces")).isEqualTo(ExitCode.USAGE);

        assertThat(run.errLines()).containsExactly("unknown --type 'traces': use logs, metrics or events");
    }
}
