package dev.hydrant.nozzle.runtime;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.Patience;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;

/**
 * NozzleRuntime with a replayable source (the Kafka source's contract, here an in-memory log of numbered
 * records that offers them from a thread of its own): never drops, retries the sink without limit, reports
 * what is written in order, and leaves out what the source no longer owns. The Kafka source itself is tested
 * against a real broker in nozzles/kafka.
 */
class ReplayableSourceRuntimeTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aFullBufferMakesTheSourceWait_nothingIsDropped_andEveryWrittenRecordIsReportedInOrder() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        MemoryLog source = new MemoryLog(1000);
        NozzleRuntime runtime = NozzleRuntime.builder(batch -> {
            open.await();
            batch.forEach(envelope -> written.add(envelope.getLog().getPayload().toStringUtf8()));
        }).bufferSize(50).batchSize(10).batchInterval(Duration.ofMillis(10)).meterRegistry(registry).build().start(source);
        await("the source refused").atMost(Patience.WAIT).until(() -> source.refusals.get() > 0);
        assertThat(runtime.health().received()).isLessThanOrEqualTo(60);
        open.countDown();
        await("all written").atMost(Patience.WAIT).until(() -> written.size() == 1000);
        await("all reported").atMost(Patience.WAIT).until(() -> source.reported.size() == 1000);
        assertThat(source.reported).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1000).boxed().toList());
        assertThat(runtime.dropped()).isZero();
        runtime.close();
        assertThat(source.closed).isTrue();
    }

    @Test
    void aFailingSinkIsRetriedBeyondMaxAttempts_untilItTakesTheBatch() {
        AtomicInteger failures = new AtomicInteger(8);
        List<String> written = new CopyOnWriteArrayList<>();
        MemoryLog source = new MemoryLog(10);
        NozzleRuntime runtime = NozzleRuntime.builder(batch -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("down");
            }
            batch.forEach(envelope -> written.add(envelope.getLog().getPayload().toStringUtf8()));
        }).batchSize(10).retry(2, Duration.ofMillis(1), Duration.ofMillis(5)).meterRegistry(registry).build().start(source);
        await("written after 8 failures").atMost(Patience.WAIT).until(() -> written.size() == 10);
        assertThat(runtime.health().sinkErrors()).isEqualTo(8);
        assertThat(runtime.dropped()).isZero();
        runtime.close();
    }

    @Test
    void recordsTheSourceNoLongerOwnsAreLeftOut_andCountedAsReturned() {
        List<String> written = new CopyOnWriteArrayList<>();
        MemoryLog source = new MemoryLog(20);
        source.disowned.addAll(Set.of(3, 4, 5));
        NozzleRuntime runtime = NozzleRuntime.builder(batch -> batch.forEach(
                envelope -> written.add(envelope.getLog().getPayload().toStringUtf8()))).batchSize(10)
                .meterRegistry(registry).build().start(source);
        await("written").atMost(Patience.WAIT).until(() -> written.size() == 17);
        assertThat(written).doesNotContain("3", "4", "5");
        assertThat(registry.get("nozzle.returned").functionCounter().count()).isEqualTo(3);
        assertThat(source.reported).doesNotContain(3, 4, 5);
        runtime.close();
    }

    /** Records 0..n-1, offered from the source's own thread (waiting a millisecond after a refusal). */
    private static final class MemoryLog implements ReplayableSource {

        final ArrayDeque<Numbered> left = new ArrayDeque<>();
        final List<Integer> reported = new CopyOnWriteArrayList<>();
        final Set<Integer> disowned = ConcurrentHashMap.newKeySet();
        final AtomicInteger refusals = new AtomicInteger();
        volatile boolean closed;

        MemoryLog(int n) {
            for (int i = 0; i < n; i++) {
                left.add(new Numbered(i, log("app", Integer.toString(i))));
            }
        }

        @Override
        public void start(SourceIntake intake) {
            new Thread(() -> {
                while (!closed && !left.isEmpty()) {
                    if (intake.offer(left.peekFirst())) {
                        left.pollFirst();
                    } else {
                        refusals.incrementAndGet();
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                }
            }).start();
        }

        @Override
        public boolean owns(SourceRecord record) {
            return !disowned.contains(((Numbered) record).number());
        }

        @Override
        public void written(List<SourceRecord> records) {
            records.forEach(record -> reported.add(((Numbered) record).number()));
        }

        @Override
        public boolean active() {
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private record Numbered(int number, Envelope envelope) implements SourceRecord {
    }
}
