package dev.hydrant.plumbing.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;

class BatchBytesTest {

    private static final int KIB = 1024;

    private static Envelope line(String text, int padding) {
        return Envelope.newBuilder().setSourceId("app")
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8(text + "x".repeat(padding))))
                .build();
    }

    private static List<List<Envelope>> batchesOf(DropOldestBuffer<Envelope> buffer, BatchBytes bytes) {
        List<List<Envelope>> batches = new ArrayList<>();
        while (buffer.size() > 0) {
            List<Envelope> batch = new ArrayList<>();
            buffer.drainTo(batch, 100, bytes.start());
            batches.add(batch);
        }
        return batches;
    }

    @Test
    void batchesStayWithinTheBytes_inOrder_andAnEnvelopeBiggerThanTheBoundGoesAlone() {
        DropOldestBuffer<Envelope> buffer = new DropOldestBuffer<>(1_000, n -> { });
        List<Envelope> offered = List.of(line("a", 0), line("big1", 300 * KIB), line("big2", 300 * KIB),
                line("b", 0), line("huge", 2 * KIB * KIB), line("c", 0), line("d", 90 * KIB));
        buffer.offerAll(offered);
        BatchBytes bytes = new BatchBytes(512 * KIB);

        List<List<Envelope>> batches = batchesOf(buffer, bytes);

        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(offered);
        assertThat(batches).extracting(batch -> batch.stream().map(e -> e.getLog().getPayload().substring(0, 1)
                .toStringUtf8()).toList())
                .containsExactly(List.of("a", "b"), List.of("b", "b"), List.of("h"), List.of("c", "d"));
        for (List<Envelope> batch : batches) {
            int size = EnvelopeBatch.newBuilder().addAllBatch(batch).build().getSerializedSize();
            assertThat(size).as("a batch of %s envelopes", batch.size())
                    .satisfiesAnyOf(s -> assertThat(s).isLessThanOrEqualTo(512 * KIB), s -> assertThat(batch).hasSize(1));
        }
    }

    @Test
    void countsExactlyTheSerializedSizeOfTheBatchMessage() {
        BatchBytes bytes = BatchBytes.standard().start();
        List<Envelope> batch = List.of(line("a", 0), line("b", 200), line("c", 20_000), line("d", 3));
        batch.forEach(bytes::test);

        assertThat(bytes.bytes()).isEqualTo(EnvelopeBatch.newBuilder().addAllBatch(batch).build().getSerializedSize());
        assertThat(bytes.full()).isFalse();
    }

    @Test
    void aBatchFullByBytes_takesNothingMoreUntilStartedAgain() throws Exception {
        DropOldestBuffer<Envelope> buffer = new DropOldestBuffer<>(10, n -> { });
        buffer.offerAll(List.of(line("a", 700 * KIB), line("b", 700 * KIB)));
        BatchBytes bytes = BatchBytes.standard().start();
        List<Envelope> batch = new ArrayList<>();

        assertThat(buffer.drainTo(batch, 100, bytes, 0, TimeUnit.MILLISECONDS)).isEqualTo(1);
        assertThat(bytes.full()).isTrue();
        assertThat(buffer.drainTo(batch, 100, bytes)).isZero();
        assertThat(buffer.size()).isEqualTo(1);

        assertThat(buffer.drainTo(batch, 100, bytes.start())).isEqualTo(1);
        assertThat(batch).hasSize(2);
    }

    @Test
    void aBoundBelowOneByteIsRefused() {
        assertThatThrownBy(() -> new BatchBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 byte");
    }
}
