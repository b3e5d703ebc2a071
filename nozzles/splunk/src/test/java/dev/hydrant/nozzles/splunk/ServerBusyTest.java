package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.Health;
import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A HEC that answers 503 "Server is busy" and 429 for a while loses nothing the buffer can hold: the sink
 * retries with backoff (waiting out Retry-After) and every event arrives once; a request that fails every
 * attempt is dropped and counted, and the next one goes through.
 */
class ServerBusyTest {

    private FakeTrafficController firehose;
    private FakeHec hec;
    private SplunkNozzleRunner nozzle;

    @BeforeEach
    void start() throws Exception {
        firehose = new FakeTrafficController().start();
        hec = new FakeHec("hec-token");
    }

    @AfterEach
    void stop() {
        if (nozzle != null) {
            nozzle.close();
        }
        hec.close();
        firehose.close();
    }

    private void publish(List<Envelope> envelopes) {
        for (int from = 0; from < envelopes.size(); from += 100) {
            firehose.publish(envelopes.subList(from, Math.min(envelopes.size(), from + 100)).toArray(Envelope[]::new));
        }
    }

    @Test
    void aBurstOf503sAnd429s_losesNothingTheBufferHolds_andEveryEventArrivesOnce() throws Exception {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of(
                "hydrant.nozzle.buffer-size", "10000",
                "hydrant.nozzle.batch-size", "100",
                "hydrant.nozzle.splunk.max-in-flight", "1",
                "hydrant.nozzle.splunk.retry.max-attempts", "1000",
                "hydrant.nozzle.splunk.retry.min-backoff", "5ms",
                "hydrant.nozzle.splunk.retry.max-backoff", "50ms"));
        hec.queue(FakeHec.Answer.busy(), 25);
        hec.queue(FakeHec.Answer.tooMany("1"), 1);
        hec.queue(FakeHec.Answer.busy(), 5);
        List<Envelope> logs = Envelopes.logs("app-1", "line", 0, 3000);

        publish(logs);

        await().atMost(Patience.WAIT).until(() -> hec.events().size() >= 3000 && nozzle.settled() == 3000);
        List<String> messages = hec.events().stream().map(e -> e.path("event").path("msg").asString()).toList();
        assertThat(messages).hasSize(3000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(messages)).isEqualTo(new HashSet<>(logs.stream().map(Envelopes::text).toList()));
        assertThat(nozzle.count("nozzle.received")).isEqualTo(3000);
        assertThat(nozzle.count("nozzle.dropped", "reason", "buffer") + nozzle.count("nozzle.dropped", "reason", "sink")
                + nozzle.count("nozzle.dropped", "reason", "shutdown")).isZero();
        assertThat(nozzle.count("splunk.events.sent")).isEqualTo(3000);
        assertThat(nozzle.count("splunk.request.failures", "reason", "server")).isEqualTo(30);
        assertThat(nozzle.count("splunk.request.failures", "reason", "throttled")).isEqualTo(1);
        assertThat(nozzle.registry().find("splunk.events.rejected").counters())
                .allSatisfy(rejected -> assertThat(rejected.count()).isZero());
        assertThat(Health.status(nozzle.port(), "splunk")).isEqualTo("UP");

        // the 429 said Retry-After: 1, and the next attempt waited it out
        List<Long> arrivals = hec.arrivals();
        assertThat(arrivals.get(26) - arrivals.get(25)).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void aRequestThatFailsEveryAttempt_isDroppedAndCounted_andTheNextGoesThrough() {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of(
                "hydrant.nozzle.splunk.retry.max-attempts", "3",
                "hydrant.nozzle.splunk.retry.min-backoff", "5ms",
                "hydrant.nozzle.splunk.retry.max-backoff", "20ms"));
        hec.queue(FakeHec.Answer.busy(), 3);

        firehose.publish(Envelopes.log("app-1", "lost"));
        await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.rejected", "reason", "retries") == 1);
        firehose.publish(Envelopes.log("app-1", "kept"));

        await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.sent") == 1);
        assertThat(hec.events()).extracting(e -> e.path("event").path("msg").asString()).containsExactly("kept");
        assertThat(hec.eventRequests()).isEqualTo(4);
        await().atMost(Patience.WAIT).until(() -> nozzle.settled() == 2);
        assertThat(nozzle.count("nozzle.written")).isEqualTo(2);
        assertThat(nozzle.count("splunk.request.failures", "reason", "server")).isEqualTo(3);
    }

    @Test
    void aConnectionClosedWithoutAnAnswer_isANetworkFailure_retriedUntilTheEventArrives() {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of("hydrant.nozzle.splunk.retry.min-backoff", "5ms"));
        hec.queue(FakeHec.Answer.hangUp(), 3);

        firehose.publish(Envelopes.log("app-1", "after three hang-ups"));

        await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.sent") == 1);
        assertThat(hec.events()).extracting(e -> e.path("event").path("msg").asString())
                .containsExactly("after three hang-ups");
        assertThat(nozzle.count("splunk.request.failures", "reason", "network")).isEqualTo(3);
    }
}
