package dev.hydrant.benchmarks.jmh;

import com.google.protobuf.ByteString;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.EnvelopeFrames;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Log;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The byte path's codec against protobuf's, on the envelope of {@link EnvelopeCodecBenchmark} (a 120-byte log line
 * with the tags an agent adds) in a batch of 100: reading a received batch into envelopes a hop can route
 * ({@code EnvelopeFrames.readBatch}: each envelope's bytes copied once, validated, routing fields read) against
 * {@code EnvelopeBatch.parseFrom}, and writing a batch ({@code EnvelopeFrames.batchBytes}: the bytes framed)
 * against {@code toByteArray} of a parsed batch; the {@code readThenWrite} pair is what a forwarding hop pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodedEnvelopeBenchmark {

    private byte[] envelopeBytes;
    private byte[] batchBytes;
    private EnvelopeBatch batch;
    private List<EncodedEnvelope> encoded;

    @Setup
    public void prepare() {
        byte[] line = new byte[120];
        byte[] text = "2026-01-01T00:00:00.000Z INFO  [main] c.e.shop.OrderController : order 4711 accepted "
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < line.length; i++) {
            line[i] = i < text.length ? text[i] : (byte) 'x';
        }
        Envelope envelope = Envelope.newBuilder()
                .setTimestamp(1_767_225_600_000_000_000L)
                .setSourceId("3f0a7c2e-8d5b-4b8e-9a51-6c1e2f7d9b04")
                .setInstanceId("0")
                .putTags("source_type", "APP/PROC/WEB")
                .putTags("deployment", "cf")
                .putTags("job", "diego-cell")
                .putTags("index", "6e1c2f0a-0b0b-4e4e-8c8c-2a2a2a2a2a2a")
                .putTags("ip", "10.0.16.23")
                .setLog(Log.newBuilder().setPayload(ByteString.copyFrom(line)).setType(Log.Type.OUT))
                .build();
        envelopeBytes = envelope.toByteArray();
        EnvelopeBatch.Builder builder = EnvelopeBatch.newBuilder();
        for (int i = 0; i < 100; i++) {
            builder.addBatch(envelope);
        }
        batch = builder.build();
        batchBytes = batch.toByteArray();
        encoded = EnvelopeFrames.readBatch(new ByteArrayInputStream(batchBytes));
    }

    @Benchmark
    public EncodedEnvelope readOne() {
        return EncodedEnvelope.of(envelopeBytes.clone());
    }

    @Benchmark
    public List<EncodedEnvelope> readBatchOf100() {
        return EnvelopeFrames.readBatch(new ByteArrayInputStream(batchBytes));
    }

    @Benchmark
    public EnvelopeBatch parseBatchOf100() throws Exception {
        return EnvelopeBatch.parseFrom(new ByteArrayInputStream(batchBytes));
    }

    @Benchmark
    public byte[] writeBatchOf100() {
        return EnvelopeFrames.batchBytes(encoded);
    }

    @Benchmark
    public byte[] serializeBatchOf100() {
        return batch.toByteArray();
    }

    @Benchmark
    public byte[] readThenWriteBatchOf100() {
        return EnvelopeFrames.batchBytes(EnvelopeFrames.readBatch(new ByteArrayInputStream(batchBytes)));
    }

    @Benchmark
    public byte[] parseThenSerializeBatchOf100() throws Exception {
        return EnvelopeBatch.parseFrom(new ByteArrayInputStream(batchBytes)).toByteArray();
    }
}
