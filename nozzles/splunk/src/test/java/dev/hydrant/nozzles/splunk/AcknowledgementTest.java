package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.util.Map;
import java.util.UUID;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With indexer acknowledgement, requests carry a channel, events count as sent only once
 * {@code /services/collector/ack} says they are indexed, and a request never acknowledged is sent again,
 * then counted as unacknowledged.
 */
class AcknowledgementTest {

    private FakeTrafficController firehose;
    private FakeHec hec;
    private SplunkNozzleRunner nozzle;

    @BeforeEach
    void start() throws Exception {
        firehose = new FakeTrafficController().start();
        hec = new FakeHec("hec-token");
        hec.ackEnabled(true);
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
    void eventsCountAsSent_onlyOnceAcknowledged_onTheChannelOfTheRequests() {
        hec.holdAcks(true);
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of(
                "hydrant.nozzle.splunk.ack.enabled", "true",
                "hydrant.nozzle.splunk.ack.poll-interval", "50ms"));

        firehose.publish(Envelopes.logs("app-1", "acked", 0, 10).toArray(Envelope[]::new));

        await().atMost(Patience.WAIT).until(() -> hec.events().size() == 10 && hec.ackQueries() > 1);
        assertThat(nozzle.gauge("splunk.acks.pending")).isGreaterThanOrEqualTo(1);
        assertThat(nozzle.count("splunk.events.sent")).isZero();
        assertThat(hec.requests()).allSatisfy(headers ->
                assertThat(UUID.fromString(headers.get("x-splunk-request-channel"))).isNotNull());

        hec.holdAcks(false);

        await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.sent") == 10);
        assertThat(nozzle.gauge("splunk.acks.pending")).isZero();
        assertThat(hec.events()).hasSize(10);
    }

    @Test
    void aRequestNeverAcknowledged_isSentAgain_thenCountedAsUnacknowledged() {
        hec.holdAcks(true);
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of(
                "hydrant.nozzle.splunk.ack.enabled", "true",
                "hydrant.nozzle.splunk.ack.poll-interval", "50ms",
                "hydrant.nozzle.splunk.ack.timeout", "300ms",
                "hydrant.nozzle.splunk.ack.resends", "1"));

        firehose.publish(Envelopes.log("app-1", "never indexed"));

        await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.rejected", "reason", "unacknowledged") == 1);
        assertThat(hec.eventRequests()).isEqualTo(2);
        assertThat(hec.events()).extracting(e -> e.path("event").path("msg").asString())
                .containsExactly("never indexed", "never indexed");
        assertThat(nozzle.count("splunk.events.sent")).isZero();
        assertThat(nozzle.gauge("splunk.acks.pending")).isZero();
    }
}
