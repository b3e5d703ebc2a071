package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.Health;
import dev.hydrant.nozzles.splunk.servers.LogCapture;
import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A token the HEC refuses is one ERROR line that says what to fix and a health DOWN, not a retry storm: one
 * request per max-backoff tries it again, the batches in between are dropped and counted; once the HEC takes
 * the token, events flow and the health is UP again.
 */
class BadTokenTest {

    private static final Duration PROBE = Duration.ofMillis(500);
    /** The default: before the first refusal is known, this many requests may be under way at once. */
    private static final int MAX_IN_FLIGHT = 4;

    private FakeTrafficController firehose;
    private FakeHec hec;
    private SplunkNozzleRunner nozzle;

    @BeforeEach
    void start() throws Exception {
        firehose = new FakeTrafficController().start();
        hec = new FakeHec("the-right-token");
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
    void aRefusedToken_isOneErrorLine_healthDown_andRequestsBoundedByTheBackoff() throws Exception {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of(
                "hydrant.nozzle.splunk.token", "a-wrong-token",
                "hydrant.nozzle.splunk.retry.max-backoff", PROBE.toMillis() + "ms"));
        try (LogCapture log = new LogCapture()) {
            long begin = System.nanoTime();
            int batches = 0;
            while (System.nanoTime() - begin < 3 * PROBE.toNanos() || batches < 10) {
                firehose.publish(Envelopes.log("app-1", "line " + batches));
                int written = ++batches;
                await().atMost(Patience.WAIT).until(() -> nozzle.settled() == written);
            }
            long elapsed = System.nanoTime() - begin;

            assertThat(log.at(Level.ERROR)).singleElement().satisfies(error -> {
                assertThat(error.getFormattedMessage()).contains("refused the token", "HTTP 403 \"Invalid token\" (code 4)",
                        "hydrant.nozzle.splunk.token");
            });
            assertThat(log.messages()).noneMatch(line -> line.contains("a-wrong-token"));
            assertThat(hec.eventRequests()).isGreaterThanOrEqualTo(2)
                    .isLessThanOrEqualTo(MAX_IN_FLIGHT + 1 + (int) (elapsed / PROBE.toNanos()));
            assertThat(nozzle.count("splunk.events.rejected", "reason", "token")).isEqualTo(batches);
            assertThat(nozzle.count("splunk.events.sent")).isZero();
            assertThat(Health.status(nozzle.port(), "splunk")).isEqualTo("DOWN");
            assertThat(Health.of(nozzle.port(), "splunk").path("details").path("refused").asString())
                    .contains("token refused");

            hec.token("a-wrong-token");
            await().atMost(Patience.WAIT).until(() -> {
                firehose.publish(Envelopes.log("app-1", "after the fix"));
                return nozzle.count("splunk.events.sent") > 0;
            });
            assertThat(Health.status(nozzle.port(), "splunk")).isEqualTo("UP");
            assertThat(log.at(Level.ERROR)).hasSize(1);
        }
    }
}
