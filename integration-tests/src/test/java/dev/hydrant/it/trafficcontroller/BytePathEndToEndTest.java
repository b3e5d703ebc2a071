package dev.hydrant.it.trafficcontroller;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.hydrant.it.Pipe;
import dev.hydrant.testsupport.grpc.RawBytes;
import dev.hydrant.testsupport.grpc.StreamCompletion;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EventSelector;
import org.cloudfoundry.loggregator.v2.GaugeSelector;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.TimerSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An envelope is encoded once in its life (docs/architecture.md, "The byte path"): emitter -> Metron -> Doppler ->
 * Traffic Controller -> v2 gRPC nozzles, with envelopes of every type written by hand the way no protobuf library
 * writes them (fields out of order, a field no version of the schema has, deprecated tags), read at the end as raw
 * bytes by nozzles with every kind of selector. What a nozzle receives is the emitter's bytes, followed by the map
 * entries of the host tags Metron adds where the envelope lacks them (docs/wire.md section 2: appended entries are
 * entries of the same map); only a counter is rewritten whole, by the total Metron keeps for it.
 */
class BytePathEndToEndTest {

    private static final MethodDescriptor<byte[], byte[]> BATCH_SENDER = RawBytes.of(IngressGrpc.getBatchSenderMethod());
    private static final MethodDescriptor<byte[], byte[]> BATCHED_RECEIVER = RawBytes.of(EgressGrpc.getBatchedReceiverMethod());

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    /** One envelope as sent, and what it should be when it comes out. */
    private record Sent(String name, String sourceId, Envelope.MessageCase type, String counterName,
                        List<String> gaugeNames, byte[] bytes) {
    }

    @Test
    void everyTypeArrivesAsTheEmittersBytes_atEveryKindOfSelector() throws Exception {
        Pipe pipe = e2e.keep(Pipe.start(e2e.dir(), Map.of(), Map.of("hydrant.metron.deployment", "it-deployment")));
        TrafficControllerNode tc = e2e.trafficController(pipe, Map.of());
        List<Sent> sent = envelopes();

        Map<String, Predicate<Sent>> selections = Map.of(
                "logs-of-app", s -> s.type() == Envelope.MessageCase.LOG && s.sourceId().equals("bytes-app"),
                "counter-named", s -> s.type() == Envelope.MessageCase.COUNTER && s.counterName().equals("requests"),
                "gauge-names", s -> s.type() == Envelope.MessageCase.GAUGE && s.gaugeNames().contains("cpu"),
                "timers-and-events", s -> s.type() == Envelope.MessageCase.TIMER || s.type() == Envelope.MessageCase.EVENT,
                "everything-of-other", s -> s.sourceId().equals("bytes-other"));
        Map<String, EgressBatchRequest> requests = Map.of(
                "logs-of-app", request(Selector.newBuilder().setSourceId("bytes-app").setLog(LogSelector.getDefaultInstance())),
                "counter-named", request(Selector.newBuilder().setCounter(CounterSelector.newBuilder().setName("requests"))),
                "gauge-names", request(Selector.newBuilder().setGauge(GaugeSelector.newBuilder().addNames("cpu"))),
                "timers-and-events", request(Selector.newBuilder().setTimer(TimerSelector.getDefaultInstance()),
                        Selector.newBuilder().setEvent(EventSelector.getDefaultInstance())),
                "everything-of-other", request(
                        Selector.newBuilder().setSourceId("bytes-other").setLog(LogSelector.getDefaultInstance()),
                        Selector.newBuilder().setSourceId("bytes-other").setCounter(CounterSelector.getDefaultInstance()),
                        Selector.newBuilder().setSourceId("bytes-other").setGauge(GaugeSelector.getDefaultInstance()),
                        Selector.newBuilder().setSourceId("bytes-other").setTimer(TimerSelector.getDefaultInstance()),
                        Selector.newBuilder().setSourceId("bytes-other").setEvent(EventSelector.getDefaultInstance())));
        ManagedChannel egress = tc.egressChannel("byte-nozzle");
        Map<String, List<byte[]>> received = new TreeMap<>();
        for (Map.Entry<String, EgressBatchRequest> entry : requests.entrySet()) {
            List<byte[]> into = new CopyOnWriteArrayList<>();
            received.put(entry.getKey(), into);
            ClientCalls.asyncServerStreamingCall(egress.newCall(BATCHED_RECEIVER, CallOptions.DEFAULT),
                    entry.getValue().toByteArray(), new Collecting(into));
        }
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= requests.size());

        send(pipe.metronChannel(), sent);

        for (Map.Entry<String, Predicate<Sent>> selection : selections.entrySet()) {
            List<Sent> expected = sent.stream().filter(selection.getValue()).toList();
            List<byte[]> got = received.get(selection.getKey());
            await(selection.getKey()).atMost(PATIENCE).until(() -> ours(got).size() >= expected.size());
            List<byte[]> ours = ours(got);
            assertThat(ours).as(selection.getKey()).hasSize(expected.size());
            for (Sent one : expected) {
                assertThat(ours).as(selection.getKey() + ": " + one.name())
                        .anySatisfy(bytes -> assertArrived(one, bytes));
            }
        }
    }

    /** The envelopes a nozzle got that the test sent (the pipe's own metrics travel the same streams). */
    private static List<byte[]> ours(List<byte[]> received) {
        return received.stream().filter(bytes -> {
            try {
                return Envelope.parseFrom(bytes).getSourceId().startsWith("bytes-");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static void assertArrived(Sent one, byte[] bytes) throws IOException {
        Envelope arrived = Envelope.parseFrom(bytes);
        Envelope original = Envelope.parseFrom(one.bytes());
        assertThat(arrived.getSourceId()).isEqualTo(original.getSourceId());
        assertThat(arrived.getMessageCase()).isEqualTo(original.getMessageCase());
        if (one.type() == Envelope.MessageCase.COUNTER) {
            // Metron keeps the counter's total; everything else is as sent
            Envelope expected = original.toBuilder().putTags("deployment", "it-deployment")
                    .setCounter(original.getCounter().toBuilder().setTotal(original.getCounter().getDelta())).build();
            assertThat(arrived).isEqualTo(expected);
            return;
        }
        assertThat(Arrays.copyOf(bytes, Math.min(bytes.length, one.bytes().length)))
                .as("begins with the emitter's bytes: %s", HexFormat.of().formatHex(bytes))
                .isEqualTo(one.bytes());
        Envelope appended = Envelope.parseFrom(Arrays.copyOfRange(bytes, one.bytes().length, bytes.length));
        Map<String, String> added = original.getTagsMap().containsKey("deployment") ? Map.of()
                : Map.of("deployment", "it-deployment");
        assertThat(appended).as("after them, only the host tags it lacked")
                .isEqualTo(Envelope.newBuilder().putAllTags(added).build());
    }

    private static EgressBatchRequest request(Selector.Builder... selectors) {
        EgressBatchRequest.Builder request = EgressBatchRequest.newBuilder();
        for (Selector.Builder selector : selectors) {
            request.addSelectors(selector);
        }
        return request.build();
    }

    private static void send(ManagedChannel metron, List<Sent> sent) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<byte[]> stream = ClientCalls.asyncClientStreamingCall(
                metron.newCall(BATCH_SENDER, CallOptions.DEFAULT), StreamCompletion.into(done));
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(batch);
        for (Sent one : sent) {
            out.writeByteArray(1, one.bytes());
        }
        out.flush();
        stream.onNext(batch.toByteArray());
        stream.onCompleted();
        done.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Every type, for two sources, written field by field in an order of our own. */
    private static List<Sent> envelopes() throws IOException {
        List<Sent> sent = new ArrayList<>();
        for (String source : List.of("bytes-app", "bytes-other")) {
            sent.add(new Sent("log with its own deployment tag", source, Envelope.MessageCase.LOG, "", List.of(),
                    envelope(source, 4, message(out -> {
                        out.writeUInt64(2, 1); // ERR before the payload
                        out.writeByteArray(1, "héllo ✓ from the emitter".getBytes(StandardCharsets.UTF_8));
                    }), out -> {
                        out.writeByteArray(9, message(entry -> {
                            entry.writeString(1, "deployment");
                            entry.writeString(2, "own");
                        }));
                        out.writeByteArray(3, message(entry -> {
                            entry.writeString(1, "origin");
                            entry.writeByteArray(2, message(value -> value.writeString(1, "rep")));
                        }));
                    })));
            sent.add(new Sent("log", source, Envelope.MessageCase.LOG, "", List.of(),
                    envelope(source, 4, message(out -> out.writeString(1, "plain line")), out -> { })));
            sent.add(new Sent("counter", source, Envelope.MessageCase.COUNTER, "requests", List.of(),
                    envelope(source, 5, message(out -> {
                        out.writeUInt64(2, 5);
                        out.writeString(1, "requests");
                    }), out -> { })));
            sent.add(new Sent("gauge", source, Envelope.MessageCase.GAUGE, "", List.of("memory", "cpu"),
                    envelope(source, 6, message(out -> {
                        out.writeByteArray(1, message(entry -> {
                            entry.writeString(1, "memory");
                            entry.writeByteArray(2, message(value -> {
                                value.writeString(1, "bytes");
                                value.writeDouble(2, 1e9);
                            }));
                        }));
                        out.writeByteArray(1, message(entry -> {
                            entry.writeByteArray(2, message(value -> {
                                value.writeDouble(2, 12.5); // the value before the unit
                                value.writeString(1, "percentage");
                            }));
                            entry.writeString(1, "cpu"); // the key after the value
                        }));
                    }), out -> { })));
            sent.add(new Sent("timer", source, Envelope.MessageCase.TIMER, "", List.of(),
                    envelope(source, 7, message(out -> {
                        out.writeInt64(3, 9);
                        out.writeString(1, "http");
                        out.writeInt64(2, 1);
                    }), out -> { })));
            sent.add(new Sent("event", source, Envelope.MessageCase.EVENT, "", List.of(),
                    envelope(source, 10, message(out -> {
                        out.writeString(2, "exit 1");
                        out.writeString(1, "crash");
                    }), out -> { })));
        }
        return sent;
    }

    @FunctionalInterface
    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** The oneof first, then a field unknown to every schema, then instance id, source id, extras and timestamp last. */
    private static byte[] envelope(String source, int messageField, byte[] message, Fields extras) throws IOException {
        return message(out -> {
            out.writeByteArray(messageField, message);
            out.writeString(99, "a field from a newer emitter");
            out.writeString(8, "7");
            out.writeString(2, source);
            extras.write(out);
            out.writeInt64(1, 1_795_852_820_000_000_000L);
        });
    }

    /** Collects each envelope of each batch as its bytes, split as any protobuf reader splits a repeated field. */
    private record Collecting(List<byte[]> into) implements StreamObserver<byte[]> {
        @Override
        public void onNext(byte[] batch) {
            try {
                CodedInputStream in = CodedInputStream.newInstance(batch);
                for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                    if (tag == (1 << 3 | 2)) {
                        into.add(in.readByteArray());
                    } else {
                        in.skipField(tag);
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
