package dev.hydrant.plumbing.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DropOldestBufferTest {

    private final AtomicLong drops = new AtomicLong();

    @Test
    void whenFull_theOldestEntriesMakeRoomAndEveryDropIsCounted() {
        DropOldestBuffer<Integer> buffer = new DropOldestBuffer<>(3, drops::addAndGet);

        buffer.offerAll(List.of(1, 2, 3, 4));
        buffer.offer(5);

        List<Integer> out = new ArrayList<>();
        assertThat(buffer.drainTo(out, 10)).isEqualTo(3);
        assertThat(out).containsExactly(3, 4, 5);
        assertThat(drops.get()).isEqualTo(2);
        assertThat(buffer.dropped()).isEqualTo(2);
        assertThat(buffer.offered()).isEqualTo(5);
    }

    @Test
    void offeredEqualsDrainedPlusDroppedPlusHeld() {
        DropOldestBuffer<Integer> buffer = new DropOldestBuffer<>(100, drops::addAndGet);
        List<Integer> out = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            buffer.offerAll(IntStream.range(0, 37).boxed().toList());
            if (round % 3 == 0) {
                buffer.drainTo(out, 64);
            }
        }
        assertThat(buffer.offered()).isEqualTo(out.size() + drops.get() + buffer.size());
        assertThat(buffer.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void drainsInArrivalOrderAndAtMostTheAskedNumber() {
        DropOldestBuffer<Integer> buffer = new DropOldestBuffer<>(10, drops::addAndGet);
        buffer.offerAll(List.of(1, 2, 3, 4, 5));

        List<Integer> out = new ArrayList<>();
        buffer.drainTo(out, 2);
        assertThat(out).containsExactly(1, 2);
        buffer.drainTo(out, 10);
        assertThat(out).containsExactly(1, 2, 3, 4, 5);
        assertThat(buffer.size()).isZero();
    }

    @Test
    void aDrainTellsTheNumbersOfWhatItMoved_andRemovedCountsTakenAndDroppedAlike() throws Exception {
        DropOldestBuffer<Integer> buffer = new DropOldestBuffer<>(3, drops::addAndGet);
        List<String> told = new ArrayList<>();
        DropOldestBuffer.Drained tell = (first, count) -> told.add(first + "+" + count);
        List<Integer> out = new ArrayList<>();

        buffer.offerAll(List.of(0, 1, 2, 3, 4)); // 0 and 1 make room
        assertThat(buffer.removed()).isEqualTo(2);
        buffer.drainTo(out, 2, null, 0, TimeUnit.NANOSECONDS, tell);
        buffer.offerAll(List.of(5, 6, 7)); // 4 makes room
        buffer.drainTo(out, 10, null, 0, TimeUnit.NANOSECONDS, tell);
        buffer.drainTo(out, 10, null, 0, TimeUnit.NANOSECONDS, tell); // nothing moved, nothing told

        assertThat(out).containsExactly(2, 3, 5, 6, 7);
        assertThat(told).containsExactly("2+2", "5+3");
        assertThat(buffer.removed()).isEqualTo(buffer.offered()).isEqualTo(8);
    }

    @Test
    void offerReportsWhetherTheBufferWasEmpty() {
        DropOldestBuffer<String> buffer = new DropOldestBuffer<>(4, drops::addAndGet);
        assertThat(buffer.offer("a")).isTrue();
        assertThat(buffer.offer("b")).isFalse();
        assertThat(buffer.offerAll(List.of())).isFalse();
    }

    @Test
    void timedDrain_returnsAsSoonAsAFullBatchIsThere() throws Exception {
        DropOldestBuffer<Integer> buffer = new DropOldestBuffer<>(1000, drops::addAndGet);
        List<Integer> out = new ArrayList<>();
        CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return buffer.drainTo(out, 100, 30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        buffer.offerAll(IntStream.range(0, 60).boxed().toList());
        buffer.offerAll(IntStream.range(60, 150).boxed().toList());

        assertThat(drained.get(5, TimeUnit.SECONDS)).isEqualTo(100);
        assertThat(out).hasSize(100).startsWith(0, 1, 2);
        assertThat(buffer.size()).isEqualTo(50);
    }

    @Test
    void timedDrain_returnsWhatIsThereWhenTheIntervalEnds() throws Exception {
        DropOldestBuffer<Integer> buffer = new DropOldestBuffer<>(1000, drops::addAndGet);
        buffer.offerAll(List.of(7, 8));
        List<Integer> out = new ArrayList<>();
        long started = System.nanoTime();

        int n = buffer.drainTo(out, 100, 50, TimeUnit.MILLISECONDS);

        assertThat(n).isEqualTo(2);
        assertThat(out).containsExactly(7, 8);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(45));
    }

    @Test
    void producersNeverBlock_evenWhenNobodyDrains() throws Exception {
        DropOldestBuffer<Integer> buffer = new DropOldestBuffer<>(10, drops::addAndGet);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 100_000; i++) {
                buffer.offer(i);
            }
        });
        producer.get(10, TimeUnit.SECONDS);
        assertThat(buffer.size()).isEqualTo(10);
        assertThat(drops.get()).isEqualTo(100_000 - 10);
    }

    @Test
    void rejectsANonPositiveCapacity() {
        assertThatThrownBy(() -> new DropOldestBuffer<>(0, drops::addAndGet))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }

    @Test
    void withAWeigher_theOldestGoUntilWhatIsHeldWeighsAtMostMaxBytes_countedAsDrops() {
        DropOldestBuffer<String> buffer = new DropOldestBuffer<>(100, 10, String::length, drops::addAndGet);
        buffer.offerAll(List.of("aaaa", "bbbb"));
        assertThat(buffer.bytes()).isEqualTo(8);

        buffer.offer("ccc");

        assertThat(drops.get()).isEqualTo(1);
        assertThat(buffer.bytes()).isEqualTo(7);
        List<String> out = new ArrayList<>();
        buffer.drainTo(out, 10);
        assertThat(out).containsExactly("bbbb", "ccc");
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void withAWeigher_anEntryHeavierThanMaxBytesIsKeptAlone_asTheNewest() {
        DropOldestBuffer<String> buffer = new DropOldestBuffer<>(100, 10, String::length, drops::addAndGet);
        buffer.offerAll(List.of("aa", "bb", "cccccccccccccccc"));

        assertThat(drops.get()).isEqualTo(2);
        assertThat(buffer.size()).isEqualTo(1);
        buffer.offer("d");
        assertThat(drops.get()).isEqualTo(3);
        List<String> out = new ArrayList<>();
        buffer.drainTo(out, 10);
        assertThat(out).containsExactly("d");
    }

    @Test
    void withAWeigher_theCountStillBoundsTheBuffer() {
        DropOldestBuffer<String> buffer = new DropOldestBuffer<>(2, 1_000, String::length, drops::addAndGet);
        buffer.offerAll(List.of("a", "b", "c"));

        assertThat(drops.get()).isEqualTo(1);
        assertThat(buffer.bytes()).isEqualTo(2);
        assertThat(buffer.offered()).isEqualTo(3);
    }
}
