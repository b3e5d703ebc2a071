package dev.hydrant.benchmarks.jmh;

import com.google.protobuf.ByteString;
import dev.hydrant.plumbing.buffer.BatchBytes;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The drop-oldest buffer that sits at every hop, moved in batches of 100 as the components
 * do: {@code offerAll} of one batch and {@code drainTo} of up to 100.
 *
 * <ul>
 *   <li>{@code baseline}: the same 100 references copied into a list and cleared, no buffer.</li>
 *   <li>{@code offerAllThenDrain}: one thread offers a batch and drains it, never full.</li>
 *   <li>{@code offerAllWithDrops}: a buffer of 100 is offered two batches and drained once,
 *       so 100 entries are dropped (and counted) per operation.</li>
 *   <li>{@code spsc}: one producer thread offering batches while one consumer thread drains;
 *       when the consumer is slower the producer drops, as in production.</li>
 *   <li>{@code envelopesOfferAllThenDrain} and {@code envelopesOfferAllThenDrainWithinBytes}: the same
 *       as {@code offerAllThenDrain} with 100 log envelopes of about 120 bytes, drained by count only
 *       or also under a {@link BatchBytes} bound, as every hop now drains; their ratio is what the
 *       byte bound costs. The same envelopes go round, so their sizes are computed once and kept, as
 *       they are in production where serializing the batch needs them anyway.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DropOldestBufferBenchmark {

    static final int BATCH = 100;

    /** The batch and the sink of one thread. */
    @State(Scope.Thread)
    public static class Batch {
        final List<Object> entries = new ArrayList<>(BATCH);
        final List<Object> sink = new ArrayList<>(BATCH);

        @Setup
        public void fill() {
            for (int i = 0; i < BATCH; i++) {
                entries.add(new Object());
            }
        }
    }

    /** A batch of log envelopes, their sink and a byte bound, of one thread. */
    @State(Scope.Thread)
    public static class Envelopes {
        final List<Envelope> entries = new ArrayList<>(BATCH);
        final List<Envelope> sink = new ArrayList<>(BATCH);
        final BatchBytes bytes = BatchBytes.standard();
        DropOldestBuffer<Envelope> buffer;

        @Setup
        public void fill() {
            for (int i = 0; i < BATCH; i++) {
                entries.add(Envelope.newBuilder().setSourceId("app-" + (i % 10)).setInstanceId("0")
                        .setTimestamp(1_700_000_000_000_000_000L + i).putTags("source_type", "APP/PROC/WEB")
                        .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("GET /health 200 in 3 ms, line " + i)))
                        .build());
            }
        }

        @Setup(Level.Iteration)
        public void create() {
            buffer = new DropOldestBuffer<>(10_000, n -> { });
        }
    }

    /** A buffer for one thread: roomy, or just one batch big. */
    @State(Scope.Thread)
    public static class Buffers {
        DropOldestBuffer<Object> roomy;
        DropOldestBuffer<Object> small;
        long drops;

        @Setup(Level.Iteration)
        public void create() {
            roomy = new DropOldestBuffer<>(10_000, n -> drops += n);
            small = new DropOldestBuffer<>(BATCH, n -> drops += n);
        }
    }

    /** The buffer a producer and a consumer thread share. */
    @State(Scope.Group)
    public static class Shared {
        DropOldestBuffer<Object> buffer;

        @Setup(Level.Iteration)
        public void create() {
            buffer = new DropOldestBuffer<>(10_000, n -> { });
        }
    }

    @Benchmark
    public int baseline(Batch batch) {
        batch.sink.addAll(batch.entries);
        int n = batch.sink.size();
        batch.sink.clear();
        return n;
    }

    @Benchmark
    public int offerAllThenDrain(Batch batch, Buffers buffers) {
        buffers.roomy.offerAll(batch.entries);
        int n = buffers.roomy.drainTo(batch.sink, BATCH);
        batch.sink.clear();
        return n;
    }

    @Benchmark
    public int envelopesOfferAllThenDrain(Envelopes batch) {
        batch.buffer.offerAll(batch.entries);
        int n = batch.buffer.drainTo(batch.sink, BATCH);
        batch.sink.clear();
        return n;
    }

    @Benchmark
    public int envelopesOfferAllThenDrainWithinBytes(Envelopes batch) {
        batch.buffer.offerAll(batch.entries);
        int n = batch.buffer.drainTo(batch.sink, BATCH, batch.bytes.start());
        batch.sink.clear();
        return n;
    }

    @Benchmark
    public int offerAllWithDrops(Batch batch, Buffers buffers) {
        buffers.small.offerAll(batch.entries);
        buffers.small.offerAll(batch.entries);
        int n = buffers.small.drainTo(batch.sink, BATCH);
        batch.sink.clear();
        return n;
    }

    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public boolean spscProducer(Batch batch, Shared shared) {
        return shared.buffer.offerAll(batch.entries);
    }

    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public void spscConsumer(Batch batch, Shared shared, Blackhole blackhole) {
        blackhole.consume(shared.buffer.drainTo(batch.sink, BATCH));
        batch.sink.clear();
    }
}
