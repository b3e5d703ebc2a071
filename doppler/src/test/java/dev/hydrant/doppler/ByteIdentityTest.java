package dev.hydrant.doppler;

import static dev.hydrant.testsupport.envelopes.Selectors.counters;
import static dev.hydrant.testsupport.envelopes.Selectors.events;
import static dev.hydrant.testsupport.envelopes.Selectors.gauges;
import static dev.hydrant.testsupport.envelopes.Selectors.logs;
import static dev.hydrant.testsupport.envelopes.Selectors.timers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.api.select.Selectors;
import dev.hydrant.testsupport.grpc.RawBytes;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.Timer;
import org.cloudfoundry.loggregator.v2.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte path kept honest (issue 12): envelopes sent to a real Doppler as raw bytes, through
 * BatchSender and Sender, arrive at every kind of subscriber (BatchedReceiver and Receiver, read as raw
 * bytes) byte for byte as they were sent, each subscriber getting exactly what its selectors match; and a
 * recent-envelope read returns the same bytes. The envelopes are encoded in ways protobuf itself would not
 * write (an unknown field first, fields out of order), so an envelope parsed and encoded again on the way
 * would not pass.
 */
class ByteIdentityTest {

    private static final String APP_A = "app-ä-\uD83D\uDE80";
    private static final String APP_B = "app-b";

    @TempDir
    static Path directory;
    static TestDoppler doppler;

    @BeforeAll
    static void startDoppler() throws Exception {
        doppler = TestDoppler.start(directory, "hydrant.doppler.metrics-interval=1h");
    }

    @AfterAll
    static void stopDoppler() {
        doppler.close();
    }

    @Test
    void everyEnvelopeTypeArrivesByteIdentical_atEverySelectorKind_andInRecentReads() throws Exception {
        List<Listener> listeners = new ArrayList<>();
        listeners.add(Listener.batched(List.of(logs("")), "", ""));
        listeners.add(Listener.single(List.of(logs(APP_A))));
        listeners.add(Listener.batched(List.of(counters("", "requests")), "", ""));
        listeners.add(Listener.single(List.of(counters(APP_B, ""))));
        listeners.add(Listener.batched(List.of(gauges("", "cpu", "memory")), "", ""));
        listeners.add(Listener.batched(List.of(timers("")), "", ""));
        listeners.add(Listener.single(List.of(events(APP_B))));
        listeners.add(Listener.batched(List.of(logs(APP_A), counters("", ""), gauges(APP_B)), "", ""));
        List<Listener> group = List.of(Listener.batched(List.of(logs(""), counters("", "")), "group", ""),
                Listener.batched(List.of(logs(""), counters("", "")), "group", ""));
        List<Listener> pinned = List.of(
                Listener.batched(List.of(counters("", ""), gauges("")), "pinned", "pinned"),
                Listener.batched(List.of(counters("", ""), gauges("")), "pinned", "pinned"),
                Listener.single(List.of(counters("", ""), gauges("")), "pinned", "pinned"));
        doppler.awaitSubscriptions(listeners.size() + group.size() + pinned.size());

        List<ByteString> viaBatchSender = envelopes(1_000);
        List<ByteString> viaSender = envelopes(2_000);
        batchSender(List.of(viaBatchSender.subList(0, 5), viaBatchSender.subList(5, viaBatchSender.size())));
        sender(viaSender);
        List<ByteString> sent = new ArrayList<>(viaBatchSender);
        sent.addAll(viaSender);
        assertThat(sent).as("bytes an envelope parsed and encoded again would not keep")
                .allSatisfy(bytes -> assertThat(parse(bytes).toByteString()).isNotEqualTo(bytes));

        for (Listener listener : listeners) {
            List<ByteString> expected = sent.stream().filter(bytes -> listener.selects(parse(bytes))).toList();
            assertThat(expected).as("a listener that selects something").isNotEmpty();
            await().until(() -> listener.received().size() >= expected.size());
            assertThat(listener.received()).as("what %s selects, byte for byte, in order", listener.selectors)
                    .containsExactlyElementsOf(expected);
        }
        assertSplitExactly(group, sent);
        assertSplitExactly(pinned, sent);
        Set<String> pinnedNames = new HashSet<>();
        for (Listener member : pinned) {
            Set<String> names = new HashSet<>();
            member.received().forEach(bytes -> names.add(counterOrGaugeNames(parse(bytes))));
            for (String name : names) {
                assertThat(pinnedNames.add(name)).as("%s is pinned to one member", name).isTrue();
            }
        }

        List<ByteString> ofAppA = sent.stream().filter(bytes -> parse(bytes).getSourceId().equals(APP_A)).toList();
        assertThat(recent(APP_A)).as("a recent read, oldest first, byte for byte").containsExactlyElementsOf(ofAppA);
    }

    /** The group's members together got each selected envelope once, byte for byte. */
    private static void assertSplitExactly(List<Listener> members, List<ByteString> sent) {
        List<ByteString> expected = sent.stream().filter(bytes -> members.get(0).selects(parse(bytes))).toList();
        await().until(() -> members.stream().mapToInt(member -> member.received().size()).sum() >= expected.size());
        List<ByteString> union = new ArrayList<>();
        for (Listener member : members) {
            List<ByteString> got = member.received();
            if (!got.isEmpty()) { // a pinned member may be given no name
                assertThat(expected).as("each member's share comes in the order sent").containsSubsequence(got);
            }
            union.addAll(got);
        }
        assertThat(union).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static String counterOrGaugeNames(Envelope envelope) {
        return envelope.hasCounter() ? "counter " + envelope.getCounter().getName()
                : "gauge " + new TreeSet<>(envelope.getGauge().getMetricsMap().keySet());
    }

    /** One of every type, with tags, deprecated tags, an instance id, unicode and unknown fields. */
    private static List<ByteString> envelopes(long time) {
        List<ByteString> envelopes = new ArrayList<>();
        envelopes.add(unknownFirst(base(APP_A, time + 1).setLog(Log.newBuilder()
                .setPayload(ByteString.copyFromUtf8("héllo wörld ✓ \uD83D\uDE80")).setType(Log.Type.OUT))));
        envelopes.add(outOfOrder(base(APP_B, time + 2).setLog(Log.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[] {0, (byte) 0xff, 10, 13})).setType(Log.Type.ERR)
                .setUnknownFields(unknown(15, 7)))));
        envelopes.add(unknownFirst(base(APP_A, time + 3).setCounter(Counter.newBuilder().setName("requests")
                .setDelta(3).setTotal(42))));
        envelopes.add(outOfOrder(base(APP_B, time + 4).setCounter(Counter.newBuilder().setName("errörs").setTotal(7))));
        envelopes.add(unknownFirst(base(APP_A, time + 5).setGauge(Gauge.newBuilder()
                .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percent").setValue(12.5).build())
                .putMetrics("memory", GaugeValue.newBuilder().setUnit("bytes").setValue(1 << 20).build())
                .putMetrics("disk", GaugeValue.newBuilder().setUnit("bytes").setValue(3).build()))));
        envelopes.add(outOfOrder(base(APP_B, time + 6).setGauge(Gauge.newBuilder()
                .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percent").setValue(99).build()))));
        envelopes.add(unknownFirst(base(APP_A, time + 7).setTimer(Timer.newBuilder().setName("http")
                .setStart(time).setStop(time + 100))));
        envelopes.add(outOfOrder(base(APP_B, time + 8).setEvent(Event.newBuilder().setTitle("deployed ✓")
                .setBody("version 2"))));
        envelopes.add(unknownFirst(base("", time + 9).setLog(Log.newBuilder()
                .setPayload(ByteString.copyFromUtf8("no source id")))));
        return envelopes;
    }

    private static Envelope.Builder base(String sourceId, long timestamp) {
        return Envelope.newBuilder().setSourceId(sourceId).setTimestamp(timestamp).setInstanceId("instance-ï")
                .putTags("deployment", "cf-ü").putTags("job", "diego")
                .putDeprecatedTags("legacy", Value.newBuilder().setInteger(5).build())
                .putDeprecatedTags("text", Value.newBuilder().setText("ünïcode").build());
    }

    private static UnknownFieldSet unknown(int field, long value) {
        return UnknownFieldSet.newBuilder()
                .addField(field, UnknownFieldSet.Field.newBuilder().addVarint(value).build()).build();
    }

    /** An unknown field before the known ones: protobuf writes unknown fields last. */
    private static ByteString unknownFirst(Envelope.Builder envelope) {
        return unknown(99, 12345).toByteString().concat(envelope.build().toByteString());
    }

    /** The message first and the source id and timestamp after it: protobuf writes them in field order. */
    private static ByteString outOfOrder(Envelope.Builder envelope) {
        Envelope whole = envelope.setUnknownFields(unknown(98, 1)).build();
        Envelope head = whole.toBuilder().clearSourceId().clearTimestamp().build();
        Envelope tail = Envelope.newBuilder().setSourceId(whole.getSourceId()).setTimestamp(whole.getTimestamp()).build();
        ByteString bytes = head.toByteString().concat(tail.toByteString());
        assertThat(parse(bytes)).isEqualTo(whole);
        return bytes;
    }

    private static Envelope parse(ByteString bytes) {
        try {
            return Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EnvelopeBatch of these envelopes' bytes. */
    private static byte[] batch(List<ByteString> envelopes) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            for (ByteString envelope : envelopes) {
                out.writeBytes(1, envelope);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The envelopes of an EnvelopeBatch, as the bytes inside it. */
    private static List<ByteString> unbatch(byte[] batch) {
        try {
            List<ByteString> envelopes = new ArrayList<>();
            CodedInputStream in = CodedInputStream.newInstance(batch);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == (1 << 3 | 2)) {
                    envelopes.add(in.readBytes());
                } else {
                    in.skipField(tag);
                }
            }
            return envelopes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void batchSender(List<List<ByteString>> batches) throws Exception {
        stream(RawBytes.of(IngressGrpc.getBatchSenderMethod()), batches.stream().map(ByteIdentityTest::batch).toList());
    }

    private static void sender(List<ByteString> envelopes) throws Exception {
        stream(RawBytes.of(IngressGrpc.getSenderMethod()), envelopes.stream().map(ByteString::toByteArray).toList());
    }

    private static void stream(MethodDescriptor<byte[], byte[]> method, List<byte[]> messages) throws Exception {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(
                doppler.channel.newCall(method, CallOptions.DEFAULT), new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] response) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        answered.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answered.complete(null);
                    }
                });
        messages.forEach(requests::onNext);
        requests.onCompleted();
        answered.get(60, TimeUnit.SECONDS);
    }

    private static List<ByteString> recent(String sourceId) {
        MethodDescriptor<ReadRequest, byte[]> read = RecentEnvelopesGrpc.getReadMethod()
                .toBuilder(RecentEnvelopesGrpc.getReadMethod().getRequestMarshaller(), new RawBytes()).build();
        List<ByteString> envelopes = new ArrayList<>();
        Iterator<byte[]> pieces = ClientCalls.blockingServerStreamingCall(doppler.channel, read, CallOptions.DEFAULT,
                ReadRequest.newBuilder().setSourceId(sourceId).build());
        pieces.forEachRemaining(piece -> unbatch(piece).forEach(batch -> envelopes.addAll(unbatch(batch.toByteArray()))));
        return envelopes;
    }

    /** A subscriber reading raw bytes: each envelope as the bytes it came in. */
    private static final class Listener implements StreamObserver<byte[]> {
        private final List<Selector> selectors;
        private final Function<byte[], List<ByteString>> unpack;
        private final List<ByteString> received = Collections.synchronizedList(new ArrayList<>());

        private Listener(List<Selector> selectors, Function<byte[], List<ByteString>> unpack) {
            this.selectors = selectors;
            this.unpack = unpack;
        }

        static Listener batched(List<Selector> selectors, String shardId, String deterministicName) {
            Listener listener = new Listener(selectors, ByteIdentityTest::unbatch);
            MethodDescriptor<EgressBatchRequest, byte[]> method = EgressGrpc.getBatchedReceiverMethod().toBuilder(
                    EgressGrpc.getBatchedReceiverMethod().getRequestMarshaller(), new RawBytes()).build();
            ClientCalls.asyncServerStreamingCall(doppler.channel.newCall(method, CallOptions.DEFAULT),
                    EgressBatchRequest.newBuilder().addAllSelectors(selectors).setShardId(shardId)
                            .setDeterministicName(deterministicName).build(), listener);
            return listener;
        }

        static Listener single(List<Selector> selectors) {
            return single(selectors, "", "");
        }

        static Listener single(List<Selector> selectors, String shardId, String deterministicName) {
            Listener listener = new Listener(selectors, bytes -> List.of(ByteString.copyFrom(bytes)));
            MethodDescriptor<EgressRequest, byte[]> method = EgressGrpc.getReceiverMethod().toBuilder(
                    EgressGrpc.getReceiverMethod().getRequestMarshaller(), new RawBytes()).build();
            ClientCalls.asyncServerStreamingCall(doppler.channel.newCall(method, CallOptions.DEFAULT),
                    EgressRequest.newBuilder().addAllSelectors(selectors).setShardId(shardId)
                            .setDeterministicName(deterministicName).build(), listener);
            return listener;
        }

        boolean selects(Envelope envelope) {
            return Selectors.matchesAny(selectors, envelope);
        }

        List<ByteString> received() {
            synchronized (received) {
                return new ArrayList<>(received);
            }
        }

        @Override
        public void onNext(byte[] message) {
            received.addAll(unpack.apply(message));
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
