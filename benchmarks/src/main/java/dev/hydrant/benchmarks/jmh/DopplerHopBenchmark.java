package dev.hydrant.benchmarks.jmh;

import com.google.protobuf.ByteString;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.EnvelopeFrames;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * What one batch of 100 log envelopes costs a Doppler between the network and one subscriber's stream,
 * leaving out routing ({@link RoutingBenchmark}) and TLS: the ingress message parsed by the method's
 * request marshaller, and the egress message written by the response marshaller into gRPC's buffers
 * (here a sink that only counts).
 *
 * <ul>
 *   <li>{@code protobuf}: the generated marshallers, as the Doppler served before issue 12: every
 *       envelope parsed into a message at ingress and serialized again for each subscriber.</li>
 *   <li>{@code bytes}: {@link EnvelopeFrames#BATCH}, as it serves now: each envelope's bytes copied
 *       once out of the message, validated and read for its routing fields, and framed into the
 *       egress message from those bytes.</li>
 * </ul>
 * The envelopes are tagged as an agent tags them: source id, instance id, five tags, a 120-byte payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DopplerHopBenchmark {

    private static final int BATCH = 100;
    private static final MethodDescriptor.Marshaller<EnvelopeBatch> PROTOBUF =
            ProtoUtils.marshaller(EnvelopeBatch.getDefaultInstance());

    private byte[] ingress;
    private final CountingSink sink = new CountingSink();

    @Setup
    public void prepare() {
        EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
        ByteString payload = ByteString.copyFromUtf8("x".repeat(120));
        for (int i = 0; i < BATCH; i++) {
            batch.addBatch(Envelope.newBuilder()
                    .setSourceId(String.format("00000000-0000-4000-8000-%012d", i % 10))
                    .setInstanceId("0")
                    .setTimestamp(1_700_000_000_000_000_000L + i)
                    .putTags("source_type", "APP/PROC/WEB")
                    .putTags("deployment", "cf")
                    .putTags("job", "diego-cell")
                    .putTags("index", "6e1c2f0a-0b0b-4e4e-8c8c-2a2a2a2a2a2a")
                    .putTags("ip", "10.0.16.23")
                    .setLog(Log.newBuilder().setPayload(payload).setType(Log.Type.OUT)));
        }
        ingress = batch.build().toByteArray();
    }

    @Benchmark
    public long protobuf() throws IOException {
        EnvelopeBatch received = PROTOBUF.parse(new Message(ingress));
        EnvelopeBatch.Builder egress = EnvelopeBatch.newBuilder();
        for (int i = 0, n = received.getBatchCount(); i < n; i++) {
            egress.addBatch(received.getBatch(i));
        }
        return drain(PROTOBUF.stream(egress.build()));
    }

    @Benchmark
    public long bytes() throws IOException {
        List<EncodedEnvelope> received = EnvelopeFrames.BATCH.parse(new Message(ingress));
        return drain(EnvelopeFrames.BATCH.stream(received));
    }

    private long drain(InputStream message) throws IOException {
        sink.count = 0;
        ((Drainable) message).drainTo(sink);
        return sink.count;
    }

    /** A received message as gRPC hands it to a marshaller: a stream that knows its length. */
    private static final class Message extends ByteArrayInputStream implements KnownLength {
        Message(byte[] bytes) {
            super(bytes);
        }
    }

    /** gRPC's buffers, reduced to counting what is written into them. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }
}
