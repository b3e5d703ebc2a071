package dev.hydrant.trafficcontroller.fanin;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.api.wire.EncodedEnvelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's buffer is bounded in bytes as well as in envelopes: the oldest go first, counted. */
class ClientBufferTest {

    private static EncodedEnvelope kibibyteLog(int i) {
        return EncodedEnvelope.of(log("app", i + " " + "x".repeat(1024), 1_000 + i));
    }

    @Test
    void beyondItsBytes_theOldestEnvelopesAreDroppedAndCounted_theNewestKept() {
        Counter dropped = new SimpleMeterRegistry().counter("dropped");
        int oneEnvelope = kibibyteLog(0).framedSize(); // each the same size
        ClientBuffer buffer = new ClientBuffer(1000, 3L * oneEnvelope, dropped);

        List<EncodedEnvelope> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(kibibyteLog(i));
        }
        buffer.offer(sent);

        List<EncodedEnvelope> taken = new ArrayList<>();
        buffer.drainTo(taken, 100, null);
        assertThat(taken).containsExactlyElementsOf(sent.subList(7, 10));
        assertThat(dropped.count()).isEqualTo(7);
    }

    @Test
    void anEnvelopeBiggerThanTheWholeBound_isKeptAlone() {
        Counter dropped = new SimpleMeterRegistry().counter("dropped");
        ClientBuffer buffer = new ClientBuffer(1000, 100, dropped);

        buffer.offer(List.of(kibibyteLog(1), kibibyteLog(2)));

        List<EncodedEnvelope> taken = new ArrayList<>();
        buffer.drainTo(taken, 100, null);
        assertThat(taken).hasSize(1);
        assertThat(taken.get(0).timestamp()).isEqualTo(1_002);
        assertThat(dropped.count()).isEqualTo(1);
    }
}
