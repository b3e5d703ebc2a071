package dev.hydrant.benchmarks.jmh;

import com.google.protobuf.AbstractMessageLite;
import com.google.protobuf.ByteString;
import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.api.json.EnvelopeJson;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.EnvelopeFrames;
import dev.hydrant.trafficcontroller.fanin.OncePerEnvelope;
import dev.hydrant.trafficcontroller.sse.DataEvents;
import io.grpc.Drainable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Log;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Traffic Controller's cost per client for one Doppler batch of 100 log envelopes (120-byte lines, the
 * tags an agent adds) that {@code clients} clients all receive, each over its own Doppler stream (as the
 * Traffic Controller subscribes once per client): the batch arrives once per client, and each client's copy
 * is read and sent on. Each pair is the way before issue 12 ({@code ...PerClient}, {@code ...Reencoded}: the
 * batch parsed into envelopes, then converted or encoded again for each client) and the way now
 * ({@code ...PerEnvelope}, {@code ...FramedFromBytes}: the batch read as bytes, the v2 batch framed from those
 * bytes, the v1 frames and the JSON made once per envelope and shared). Every invocation takes the next of
 * 128 batches of distinct envelopes, more than the shared table holds, so the first client of an envelope
 * always converts it, as in a running Traffic Controller.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrafficControllerEgressBenchmark {

    private static final int BATCHES = 128;
    private static final OutputStream NOWHERE = OutputStream.nullOutputStream();

    @Param({"1", "4", "16"})
    public int clients;

    private byte[][] batches;
    private int next;
    private OncePerEnvelope<List<byte[]>> v1Frames;
    private DataEvents sseEvents;

    @Setup
    public void prepare() {
        byte[] line = new byte[120];
        byte[] text = "2026-01-01T00:00:00.000Z INFO  [main] c.e.shop.OrderController : order 4711 accepted "
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < line.length; i++) {
            line[i] = i < text.length ? text[i] : (byte) 'x';
        }
        batches = new byte[BATCHES][];
        long timestamp = 1_767_225_600_000_000_000L;
        for (int b = 0; b < BATCHES; b++) {
            EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
            for (int i = 0; i < 100; i++) {
                batch.addBatch(Envelope.newBuilder()
                        .setTimestamp(timestamp++)
                        .setSourceId("3f0a7c2e-8d5b-4b8e-9a51-6c1e2f7d9b04")
                        .setInstanceId("0")
                        .putTags("source_type", "APP/PROC/WEB")
                        .putTags("deployment", "cf")
                        .putTags("job", "diego-cell")
                        .putTags("index", "6e1c2f0a-0b0b-4e4e-8c8c-2a2a2a2a2a2a")
                        .putTags("ip", "10.0.16.23")
                        .setLog(Log.newBuilder().setPayload(ByteString.copyFrom(line)).setType(Log.Type.OUT)));
            }
            batches[b] = batch.build().toByteArray();
        }
        // the same conversion as websocket.V1StreamHandler's
        v1Frames = new OncePerEnvelope<>(envelope ->
                V1Conversion.toV1(envelope.envelope()).stream().map(AbstractMessageLite::toByteArray).toList());
        sseEvents = new DataEvents();
    }

    private byte[] nextBatch() {
        byte[] batch = batches[next];
        next = (next + 1) % BATCHES;
        return batch;
    }

    @Benchmark
    public void v1ConvertedPerClient(Blackhole hole) throws IOException {
        byte[] bytes = nextBatch();
        for (int c = 0; c < clients; c++) {
            for (Envelope envelope : EnvelopeBatch.parseFrom(bytes).getBatchList()) {
                for (EventFactory.Envelope v1 : V1Conversion.toV1(envelope)) {
                    hole.consume(v1.toByteArray());
                }
            }
        }
    }

    @Benchmark
    public void v1ConvertedPerEnvelope(Blackhole hole) {
        byte[] bytes = nextBatch();
        for (int c = 0; c < clients; c++) {
            for (EncodedEnvelope envelope : EnvelopeFrames.readBatch(new ByteArrayInputStream(bytes))) {
                for (byte[] frame : v1Frames.apply(envelope)) {
                    hole.consume(frame);
                }
            }
        }
    }

    @Benchmark
    public void sseJsonPerClient(Blackhole hole) throws IOException {
        byte[] bytes = nextBatch();
        for (int c = 0; c < clients; c++) {
            EnvelopeBatch batch = EnvelopeBatch.parseFrom(bytes);
            hole.consume(("data: " + EnvelopeJson.toJson(batch) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Benchmark
    public void sseJsonPerEnvelope(Blackhole hole) {
        byte[] bytes = nextBatch();
        for (int c = 0; c < clients; c++) {
            hole.consume(sseEvents.event(EnvelopeFrames.readBatch(new ByteArrayInputStream(bytes))));
        }
    }

    @Benchmark
    public void grpcReencoded() throws IOException {
        byte[] bytes = nextBatch();
        for (int c = 0; c < clients; c++) {
            List<Envelope> envelopes = EnvelopeBatch.parseFrom(bytes).getBatchList();
            EnvelopeBatch.newBuilder().addAllBatch(envelopes).build().writeTo(NOWHERE);
        }
    }

    @Benchmark
    public void grpcFramedFromBytes() throws IOException {
        byte[] bytes = nextBatch();
        for (int c = 0; c < clients; c++) {
            List<EncodedEnvelope> envelopes = EnvelopeFrames.readBatch(new ByteArrayInputStream(bytes));
            InputStream framed = EnvelopeFrames.BATCH.stream(envelopes);
            ((Drainable) framed).drainTo(NOWHERE);
        }
    }
}
