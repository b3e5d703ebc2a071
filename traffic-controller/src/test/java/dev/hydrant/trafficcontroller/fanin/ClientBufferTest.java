package dev.hydrant.trafficcontroller.fanin;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.buffer.ByteShares;
import dev.hydrant.plumbing.buffer.ShareBoundBuffer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client's buffer is bounded in bytes as well as in envelopes, and its bytes by its share of the
 * Traffic Controller's egress-buffer-bytes: the oldest go first, counted.
 */
class ClientBufferTest {

    private final Counter dropped = new SimpleMeterRegistry().counter("dropped");

    /** Of one size for each {@code i} of as many digits. */
    private static EncodedEnvelope kibibyteLog(int i) {
        return EncodedEnvelope.of(log("app", i + " " + "x".repeat(1024), 1_000 + i));
    }

    private static List<EncodedEnvelope> kibibyteLogs(int from, int to) {
        List<EncodedEnvelope> logs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            logs.add(kibibyteLog(i));
        }
        return logs;
    }

    private static List<EncodedEnvelope> drain(ClientBuffer buffer) {
        List<EncodedEnvelope> taken = new ArrayList<>();
        buffer.drainTo(taken, 1_000, null);
        return taken;
    }

    @Test
    void beyondItsBytes_theOldestEnvelopesAreDroppedAndCounted_theNewestKept() {
        long oneEnvelope = ShareBoundBuffer.weight(kibibyteLog(0)); // each the same size
        ClientBuffer buffer = new ClientBuffer(1000, new ByteShares(3 * oneEnvelope, 1L << 30), dropped);

        List<EncodedEnvelope> sent = kibibyteLogs(0, 10);
        buffer.offer(sent);

        assertThat(buffer.bytes()).isEqualTo(3 * oneEnvelope);
        assertThat(drain(buffer)).containsExactlyElementsOf(sent.subList(7, 10));
        assertThat(dropped.count()).isEqualTo(7);
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void anEnvelopeBiggerThanTheWholeBound_isKeptAlone() {
        ClientBuffer buffer = new ClientBuffer(1000, new ByteShares(100, 100), dropped);

        buffer.offer(List.of(kibibyteLog(1), kibibyteLog(2)));

        List<EncodedEnvelope> taken = drain(buffer);
        assertThat(taken).hasSize(1);
        assertThat(taken.get(0).timestamp()).isEqualTo(1_002);
        assertThat(dropped.count()).isEqualTo(1);
    }

    @Test
    void whenMoreClientsShareTheTotal_eachBufferIsTrimmedToItsShare_andTheLossCounted() {
        long oneEnvelope = ShareBoundBuffer.weight(kibibyteLog(10));
        ByteShares shares = new ByteShares(8 * oneEnvelope, 8 * oneEnvelope); // alone, a client holds 8
        shares.join();
        ClientBuffer first = new ClientBuffer(1000, shares, dropped);
        first.offer(kibibyteLogs(10, 18)); // all of one size
        assertThat(dropped.count()).isZero();

        shares.join();
        shares.join();
        shares.join(); // four clients: 2 each
        first.trimToShare();
        ClientBuffer second = new ClientBuffer(1000, shares, dropped);
        second.offer(kibibyteLogs(20, 28));

        assertThat(first.bytes() + second.bytes()).isLessThanOrEqualTo(4 * oneEnvelope);
        assertThat(drain(first)).extracting(EncodedEnvelope::timestamp).containsExactly(1_016L, 1_017L);
        assertThat(drain(second)).extracting(EncodedEnvelope::timestamp).containsExactly(1_026L, 1_027L);
        assertThat(dropped.count()).isEqualTo(6 + 6);
    }

    @Test
    void aBufferBoundOnlyByCount_holdsNoMoreThanItsEnvelopes() {
        ClientBuffer buffer = new ClientBuffer(5, new ByteShares(1L << 30, 1L << 30), dropped);

        buffer.offer(kibibyteLogs(0, 12));

        assertThat(drain(buffer)).extracting(EncodedEnvelope::timestamp)
                .containsExactly(1_007L, 1_008L, 1_009L, 1_010L, 1_011L);
        assertThat(dropped.count()).isEqualTo(7);
    }
}
