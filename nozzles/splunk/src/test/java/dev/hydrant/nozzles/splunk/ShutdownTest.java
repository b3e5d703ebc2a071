package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping the nozzle writes what it holds: the SDK flushes its buffer into the sink, and the sink waits for its
 * requests in flight and their acknowledgements, so every event it received reaches the HEC.
 */
class ShutdownTest {

    private FakeTrafficController firehose;
    private FakeHec hec;

    @BeforeEach
    void start() throws Exception {
        firehose = new FakeTrafficController().start();
        hec = new FakeHec("hec-token");
        hec.ackEnabled(true);
    }

    @AfterEach
    void stop() {
        hec.close();
        firehose.close();
    }

    @Test
    void stoppingTheNozzle_sendsWhatItReceived_andWaitsForTheAcknowledgements() {
        SplunkNozzleRunner nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of(
                "hydrant.nozzle.batch-interval", "5s",
                "hydrant.nozzle.splunk.ack.enabled", "true",
                "hydrant.nozzle.splunk.ack.poll-interval", "50ms"));
        firehose.publish(Envelopes.logs("app-1", "held", 0, 500).toArray(Envelope[]::new));
        await().atMost(Patience.WAIT).until(() -> nozzle.count("nozzle.received") == 500);
        var registry = nozzle.registry();

        nozzle.close();

        assertThat(hec.events()).hasSize(500);
        assertThat(registry.find("splunk.events.sent").counter().count()).isEqualTo(500);
        assertThat(registry.find("splunk.acks.pending").gauge().value()).isZero();
    }
}
