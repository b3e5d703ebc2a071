package dev.hydrant.benchmarks.jmh;

import com.google.protobuf.ByteString;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.EnvelopeFrames;
import dev.hydrant.plumbing.buffer.BatchBytes;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Log;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Metron agent's work per envelope, a received batch of 100 typical log envelopes (120-byte payload) at a
 * time: read the batch from gRPC's stream, tag it with the host tags, offer it to the one drop-oldest buffer,
 * take a batch back out bounded by {@link BatchBytes}, and write it as the egress {@code EnvelopeBatch}.
 *
 * <p>{@code objects} is the path as it was before issue 12, on protobuf objects: parse the batch, tag each
 * envelope that misses a host tag by {@code toBuilder().putTags(..).build()}, buffer the objects, serialize the
 * egress batch. {@code bytes} is the path on the envelopes' bytes as {@code IngressService}, {@code EnvelopeTagger}
 * and the egress now take it: {@link EnvelopeFrames#readBatch}, {@link EncodedEnvelope#withTagsIfAbsent}, the
 * buffer bounded in bytes as well, and the batch framed from the bytes. {@code hostTags} is {@code none} (the
 * default settings: nothing to add) or {@code four} (deployment, job, index, ip set, none carried by the emitter).
 * {@code bytesTagsFromMap} is {@code bytes} with the tags appended by {@link EncodedEnvelope#withTagsIfAbsent(Map)}
 * instead of the entries encoded once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetronPathBenchmark {

    private static final int BATCH = 100;

    @Param({"none", "four"})
    public String hostTags;

    private Map<String, String> tags;
    private EncodedEnvelope.TagEntries tagEntries;
    private byte[] received;
    private DropOldestBuffer<Envelope> objectBuffer;
    private DropOldestBuffer<EncodedEnvelope> byteBuffer;
    private final List<Envelope> objectBatch = new ArrayList<>(BATCH);
    private final List<EncodedEnvelope> byteBatch = new ArrayList<>(BATCH);
    private final BatchBytes bound = BatchBytes.standard();
    private final OutputStream transport = OutputStream.nullOutputStream();

    @Setup
    public void prepare() {
        tags = new LinkedHashMap<>();
        if (hostTags.equals("four")) {
            tags.put("deployment", "cf");
            tags.put("job", "diego-cell");
            tags.put("index", "6e1c2f0a-0b0b-4e4e-8c8c-2a2a2a2a2a2a");
            tags.put("ip", "10.0.16.23");
        }
        tagEntries = new EncodedEnvelope.TagEntries(tags);
        byte[] text = "2026-01-01T00:00:00.000Z INFO  [main] c.e.shop.OrderController : order 4711 accepted "
                .getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[120];
        for (int i = 0; i < line.length; i++) {
            line[i] = i < text.length ? text[i] : (byte) 'x';
        }
        EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
        for (int i = 0; i < BATCH; i++) {
            batch.addBatch(Envelope.newBuilder()
                    .setTimestamp(1_767_225_600_000_000_000L + i)
                    .setSourceId("3f0a7c2e-8d5b-4b8e-9a51-6c1e2f7d9b04")
                    .setInstanceId("0")
                    .putTags("source_type", "APP/PROC/WEB")
                    .setLog(Log.newBuilder().setPayload(ByteString.copyFrom(line)).setType(Log.Type.OUT)));
        }
        received = batch.build().toByteArray();
        objectBuffer = new DropOldestBuffer<>(10_000, dropped -> { });
        byteBuffer = new DropOldestBuffer<>(10_000, 32L << 20, EncodedEnvelope::framedSize, dropped -> { });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int objects() throws IOException {
        EnvelopeBatch in = EnvelopeBatch.parseFrom(new Received(received));
        List<Envelope> tagged = new ArrayList<>(in.getBatchCount());
        for (Envelope envelope : in.getBatchList()) {
            tagged.add(tagObject(envelope));
        }
        objectBuffer.offerAll(tagged);
        objectBuffer.drainTo(objectBatch, BATCH, bound.start());
        EnvelopeBatch out = EnvelopeBatch.newBuilder().addAllBatch(objectBatch).build();
        out.writeTo(transport);
        int n = objectBatch.size();
        objectBatch.clear();
        return n;
    }

    private Envelope tagObject(Envelope envelope) {
        boolean missing = false;
        for (String key : tags.keySet()) {
            if (!envelope.containsTags(key)) {
                missing = true;
                break;
            }
        }
        if (!missing) {
            return envelope;
        }
        Envelope.Builder builder = envelope.toBuilder();
        tags.forEach((key, value) -> {
            if (!envelope.containsTags(key)) {
                builder.putTags(key, value);
            }
        });
        return builder.build();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int bytes() throws IOException {
        return forwardBytes(true);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int bytesTagsFromMap() throws IOException {
        return forwardBytes(false);
    }

    /**
     * One batch through Metron's byte path: read, tagged (with the host tags encoded once as Metron keeps
     * them, or from the map on every envelope), buffered, drained and framed.
     */
    private int forwardBytes(boolean entriesEncodedOnce) throws IOException {
        List<EncodedEnvelope> in = EnvelopeFrames.readBatch(new Received(received));
        if (!tags.isEmpty()) {
            for (int i = 0, n = in.size(); i < n; i++) {
                EncodedEnvelope envelope = in.get(i);
                EncodedEnvelope tagged = entriesEncodedOnce
                        ? envelope.withTagsIfAbsent(tagEntries) : envelope.withTagsIfAbsent(tags);
                if (tagged != envelope) {
                    in.set(i, tagged);
                }
            }
        }
        byteBuffer.offerAll(in);
        byteBuffer.drainTo(byteBatch, BATCH, bound.start().encoded());
        InputStream framed = EnvelopeFrames.BATCH.stream(List.copyOf(byteBatch));
        ((Drainable) framed).drainTo(transport);
        int n = byteBatch.size();
        byteBatch.clear();
        return n;
    }

    /** A received message as gRPC hands it over: a stream that knows its length. */
    private static final class Received extends ByteArrayInputStream implements KnownLength {
        Received(byte[] bytes) {
            super(bytes);
        }
    }
}
