package dev.hydrant.nozzles.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.syslog.servers.BindingsServer;
import dev.hydrant.nozzles.syslog.servers.NozzleRunner;
import dev.hydrant.nozzles.syslog.servers.SyslogReceiver;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A drain whose host resolves into a blocked range is refused at connect: it never connects, its lines are lost. */
class BlockedAddressTest {

    @Test
    void aDrainResolvingToLoopback_isNeverConnected_whenLoopbackIsNotAllowed() throws Exception {
        try (SyslogReceiver receiver = new SyslogReceiver();
             FakeTrafficController firehose = new FakeTrafficController().start();
             BindingsServer bindings = new BindingsServer()
                     .bind("blocked", "app-1", "syslog://localhost:" + receiver.port() + "/");
             NozzleRunner nozzle = new NozzleRunner(firehose, bindings, Map.of(
                     // TEST-NET-1 only: loopback stays blocked as by default
                     "hydrant.nozzle.syslog.allowed-ranges", "192.0.2.0/24",
                     "hydrant.nozzle.syslog.buffer-size", "1",
                     "hydrant.nozzle.syslog.batch-size", "1"))) {
            nozzle.awaitDrains(1);

            firehose.publish(Envelopes.log("app-1", "one"), Envelopes.log("app-1", "two"), Envelopes.log("app-1", "three"));

            // a writer that had connected would have taken the lines from its one-line buffer instead
            await().atMost(Patience.WAIT).until(() -> nozzle.counter("syslog.drain.dropped", "blocked") == 2);
            assertThat(receiver.connections()).isZero();
            assertThat(nozzle.counter("syslog.drain.written", "blocked")).isZero();
        }
    }
}
