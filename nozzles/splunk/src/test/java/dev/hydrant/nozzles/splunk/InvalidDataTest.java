package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.LogCapture;
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
 * A 400 that names the first invalid event of a request: the events before it are indexed, that one is
 * counted as rejected, the events after it are sent again; each kind of rejection is logged once.
 */
class InvalidDataTest {

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

    @Test
    void theEventHecRefuses_isCountedOnce_andTheEventsAfterItAreSentAgain_loggedOncePerKind() {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of("hydrant.nozzle.batch-interval", "1s",
                "hydrant.nozzle.batch-size", "5"));
        try (LogCapture log = new LogCapture()) {
            hec.refuseEventAt(2);
            firehose.publish(Envelopes.logs("app-1", "first", 0, 5).toArray(Envelope[]::new));
            await().atMost(Patience.WAIT).until(() -> nozzle.settled() == 5);
            hec.refuseEventAt(0);
            firehose.publish(Envelopes.logs("app-1", "second", 0, 5).toArray(Envelope[]::new));
            await().atMost(Patience.WAIT).until(() -> nozzle.settled() == 10);

            assertThat(hec.events()).extracting(e -> e.path("event").path("msg").asString())
                    .containsExactly("first-0", "first-1", "first-3", "first-4",
                            "second-1", "second-2", "second-3", "second-4");
            assertThat(nozzle.count("splunk.events.sent")).isEqualTo(8);
            assertThat(nozzle.count("splunk.events.rejected", "reason", "invalid")).isEqualTo(2);
            assertThat(log.at(Level.WARN)).filteredOn(e -> e.getFormattedMessage().contains("rejected"))
                    .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("Invalid data format"));
        }
    }
}
