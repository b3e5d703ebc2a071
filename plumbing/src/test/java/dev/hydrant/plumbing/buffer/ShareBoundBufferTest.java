package dev.hydrant.plumbing.buffer;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A reader's buffer, bounded in envelopes and in its share of bytes: the oldest go first, counted. */
class ShareBoundBufferTest {

    private final AtomicLong dropped = new AtomicLong();

    private static List<EncodedEnvelope> lines(int from, int to, int padding) {
        return IntStream.range(from, to).mapToObj(i -> EncodedEnvelope.of(log("app", i + "-" + "x".repeat(padding))))
                .toList();
    }

    private static List<String> drain(ShareBoundBuffer buffer) {
        List<EncodedEnvelope> out = new ArrayList<>();
        BatchBytes batch = BatchBytes.standard();
        while (buffer.drainTo(out, 1000, batch) > 0) {
            // until empty
        }
        return out.stream().map(e -> text(e.envelope()).split("-")[0]).toList();
    }

    @Test
    void pastItsEnvelopeBound_theOldestGo_andAreCounted() {
        ShareBoundBuffer buffer = new ShareBoundBuffer(10, new ByteShares(1 << 20, 1 << 20), dropped::addAndGet);
        buffer.offerAll(lines(0, 25, 10));
        assertThat(dropped).hasValue(15);
        assertThat(drain(buffer)).containsExactly("15", "16", "17", "18", "19", "20", "21", "22", "23", "24");
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void pastItsByteBound_theOldestGo_andTheNewestIsAlwaysKept() {
        List<EncodedEnvelope> kilobytes = lines(10, 30, 1000); // all of one size
        long weight = ShareBoundBuffer.weight(kilobytes.get(0));
        ShareBoundBuffer buffer = new ShareBoundBuffer(1000, new ByteShares(5 * weight, 1 << 30), dropped::addAndGet);
        buffer.offerAll(kilobytes);
        assertThat(buffer.size()).isEqualTo(5);
        assertThat(buffer.bytes()).isLessThanOrEqualTo(5 * weight);
        assertThat(dropped).hasValue(15);

        ShareBoundBuffer tiny = new ShareBoundBuffer(1000, new ByteShares(10, 10), dropped::addAndGet);
        tiny.offerAll(kilobytes.subList(0, 2));
        assertThat(drain(tiny)).containsExactly("11");
    }

    @Test
    void manySubscribers_shareTheEgressBudgetEqually_oneAloneGetsItsOwnBound() {
        ByteShares shares = new ByteShares(1000, 3000);
        shares.join();
        assertThat(shares.share()).isEqualTo(1000);
        shares.join();
        shares.join();
        shares.join();
        assertThat(shares.share()).isEqualTo(750);
        shares.leave();
        shares.leave();
        assertThat(shares.share()).isEqualTo(1000);
    }

    @Test
    void anOffer_tellsWhetherTheBufferWasEmpty_andADrainWithoutByteBoundTakesUpToItsCount() {
        ShareBoundBuffer buffer = new ShareBoundBuffer(10_000, new ByteShares(1L << 30, 1L << 30), dropped::addAndGet);
        assertThat(buffer.offerAll(lines(0, 2000, 10))).isTrue();
        assertThat(buffer.offerAll(lines(2000, 3000, 10))).isFalse();

        List<EncodedEnvelope> out = new ArrayList<>();
        assertThat(buffer.drainTo(out, 2500, null)).isEqualTo(2500);
        assertThat(buffer.drainTo(out, 2500, null)).isEqualTo(500);
        assertThat(buffer.bytes()).isZero();
        assertThat(buffer.offerAll(lines(0, 1, 10))).as("emptied, and its burst's array let go").isTrue();
        assertThat(drain(buffer)).containsExactly("0");
        assertThat(dropped).hasValue(0);
    }

    @Test
    void aDrainedChunk_staysWithinTheBatchByteBound() {
        ShareBoundBuffer buffer = new ShareBoundBuffer(1000, new ByteShares(1 << 30, 1 << 30), dropped::addAndGet);
        buffer.offerAll(lines(0, 300, 10_000));
        List<EncodedEnvelope> chunk = new ArrayList<>();
        int taken = buffer.drainTo(chunk, 1000, BatchBytes.standard());
        assertThat(taken).isEqualTo(chunk.size()).isBetween(1, 104);
        assertThat(chunk.stream().mapToLong(EncodedEnvelope::framedSize).sum()).isLessThanOrEqualTo(BatchBytes.MAX_BATCH_BYTES);
        assertThat(buffer.size()).isEqualTo(300 - taken);
    }

    @Test
    void trimmedToAShareThatShrank_theOldestGo_andAreCounted() {
        List<EncodedEnvelope> kilobytes = lines(10, 30, 1000); // all of one size
        long weight = ShareBoundBuffer.weight(kilobytes.get(0));
        ByteShares shares = new ByteShares(20 * weight, 20 * weight);
        shares.join();
        ShareBoundBuffer buffer = new ShareBoundBuffer(1000, shares, dropped::addAndGet);
        buffer.offerAll(kilobytes);
        assertThat(buffer.size()).isEqualTo(20);

        shares.join();
        shares.join();
        shares.join();
        buffer.trimToShare();

        assertThat(buffer.bytes()).isLessThanOrEqualTo(5 * weight);
        assertThat(dropped).hasValue(15);
        assertThat(drain(buffer)).containsExactly("25", "26", "27", "28", "29");
    }
}
