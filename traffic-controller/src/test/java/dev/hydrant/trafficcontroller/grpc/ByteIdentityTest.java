package dev.hydrant.trafficcontroller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.api.json.EnvelopeJson;
import dev.hydrant.api.select.Selectors;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.WireMethods;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.EventSelector;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeSelector;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.Timer;
import org.cloudfoundry.loggregator.v2.TimerSelector;
import org.cloudfoundry.loggregator.v2.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Traffic Controller's byte path kept honest: envelopes of every type, sent into a Doppler as bytes
 * that no protobuf encoder would write (an unknown field first, fields out of order, deprecated tags), reach
 * its v2 gRPC clients byte for byte as sent, through {@code BatchedReceiver} and {@code Receiver}, for every
 * kind of selector; its v1 websocket consumers get exactly the v1 conversion of each (shared among them,
 * see {@code OncePerEnvelopeTest}), and an SSE reader exactly the JSON of each.
 */
class ByteIdentityTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                "hydrant.traffic-controller.slow-consumer-timeout", "30s"));
        channel = GrpcTransport.channel("127.0.0.1:" + tc.grpcPort(), "localhost", tc.clientTls, "test.tls").build();
    }

    @AfterAll
    static void stop() {
        GrpcTransport.shutdown(channel, 1_000);
        tc.close();
    }

    /** Every envelope type, each as bytes a re-encoding would change. */
    static List<EncodedEnvelope> sent() {
        Envelope log = Envelope.newBuilder().setSourceId("app-a").setInstanceId("1").setTimestamp(1_000)
                .putTags("source_type", "APP/PROC/WEB").putTags("deployment", "cf")
                .putDeprecatedTags("legacy", Value.newBuilder().setText("yes").build())
                .putDeprecatedTags("count", Value.newBuilder().setInteger(7).build())
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("hello \u00e9")).setType(Log.Type.ERR))
                .build();
        Envelope counterHead = Envelope.newBuilder()
                .setCounter(Counter.newBuilder().setName("requests").setDelta(3).setTotal(42)).build();
        Envelope counterTail = Envelope.newBuilder().setSourceId("app-a").setInstanceId("0").setTimestamp(2_000)
                .putTags("origin", "router").build();
        Envelope otherCounter = Envelope.newBuilder().setSourceId("app-b").setTimestamp(3_000)
                .setCounter(Counter.newBuilder().setName("other").setTotal(5)).build();
        Envelope gauges = Envelope.newBuilder().setSourceId("app-a").setInstanceId("2").setTimestamp(4_000)
                .setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percentage").setValue(12.5).build())
                        .putMetrics("memory", GaugeValue.newBuilder().setUnit("bytes").setValue(1024).build())
                        .putMetrics("disk", GaugeValue.newBuilder().setUnit("bytes").setValue(2048).build()))
                .build();
        Envelope cpuOnly = Envelope.newBuilder().setSourceId("app-b").setTimestamp(5_000)
                .setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percentage").setValue(3).build()))
                .build();
        Envelope timer = Envelope.newBuilder().setSourceId("app-b").setInstanceId("3").setTimestamp(6_000)
                .putTags("peer_type", "Server")
                .setTimer(Timer.newBuilder().setName("http").setStart(100).setStop(250)).build();
        Envelope event = Envelope.newBuilder().setSourceId("app-a").setTimestamp(7_000)
                .setEvent(Event.newBuilder().setTitle("deployed").setBody("v2")).build();
        return List.of(
                EncodedEnvelope.of(concat(unknownField(), log.toByteArray())),
                EncodedEnvelope.of(concat(counterHead.toByteArray(), counterTail.toByteArray())),
                EncodedEnvelope.of(concat(otherCounter.toByteArray(), unknownField())),
                EncodedEnvelope.of(gauges.toByteArray()),
                EncodedEnvelope.of(concat(unknownField(), cpuOnly.toByteArray())),
                EncodedEnvelope.of(concat(timer.toByteArray(), unknownField())),
                EncodedEnvelope.of(event.toByteArray()));
    }

    /** Field 99 as a varint, which the envelope does not know. */
    private static byte[] unknownField() {
        return new byte[] {(byte) 0x98, 0x06, 0x07};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static Selector.Builder source(String sourceId) {
        return Selector.newBuilder().setSourceId(sourceId);
    }

    /** Every kind of selector, with and without a source id, and a shard group. */
    static Map<String, EgressBatchRequest> requests() {
        Map<String, EgressBatchRequest> requests = new LinkedHashMap<>();
        requests.put("log", one(source("").setLog(LogSelector.getDefaultInstance())));
        requests.put("log of app-a", one(source("app-a").setLog(LogSelector.getDefaultInstance())));
        requests.put("counter", one(source("").setCounter(CounterSelector.getDefaultInstance())));
        requests.put("counter named requests", one(source("").setCounter(CounterSelector.newBuilder().setName("requests"))));
        requests.put("counter of app-b", one(source("app-b").setCounter(CounterSelector.getDefaultInstance())));
        requests.put("gauge with cpu and memory", one(source("").setGauge(GaugeSelector.newBuilder()
                .addNames("cpu").addNames("memory"))));
        requests.put("gauge with cpu of app-b", one(source("app-b").setGauge(GaugeSelector.newBuilder().addNames("cpu"))));
        requests.put("gauge", one(source("").setGauge(GaugeSelector.getDefaultInstance())));
        requests.put("timer", one(source("").setTimer(TimerSelector.getDefaultInstance())));
        requests.put("event of app-a", one(source("app-a").setEvent(EventSelector.getDefaultInstance())));
        requests.put("every type in a shard group", EgressBatchRequest.newBuilder().setShardId("group")
                .addSelectors(source("").setLog(LogSelector.getDefaultInstance()))
                .addSelectors(source("").setCounter(CounterSelector.getDefaultInstance()))
                .addSelectors(source("").setGauge(GaugeSelector.getDefaultInstance()))
                .addSelectors(source("").setTimer(TimerSelector.getDefaultInstance()))
                .addSelectors(source("").setEvent(EventSelector.getDefaultInstance()))
                .build());
        return requests;
    }

    private static EgressBatchRequest one(Selector.Builder selector) {
        return EgressBatchRequest.newBuilder().addSelectors(selector).build();
    }

    /** What a client keeps: each envelope's bytes as they arrived. */
    static final class Received implements StreamObserver<Object> {
        final List<ByteString> envelopes = new CopyOnWriteArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public void onNext(Object message) {
            if (message instanceof List<?> batch) {
                ((List<EncodedEnvelope>) batch).forEach(e -> envelopes.add(ByteString.copyFrom(e.toByteArray())));
            } else {
                envelopes.add(ByteString.copyFrom(((EncodedEnvelope) message).toByteArray()));
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }

    @Test
    void everyEnvelopeTypeArrivesAsTheBytesSent_throughBothReceivers_forEverySelector() {
        List<EncodedEnvelope> sent = sent();
        Map<String, Received> batched = new LinkedHashMap<>();
        Map<String, Received> single = new LinkedHashMap<>();
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            context.run(() -> requests().forEach((name, request) -> {
                // a shard group of its own per client, so that each gets the whole group's stream
                EgressBatchRequest batchRequest = request.getShardId().isEmpty() ? request
                        : request.toBuilder().setShardId(request.getShardId() + "-batched").build();
                Received viaBatches = new Received();
                ClientCalls.asyncServerStreamingCall(channel.newCall(WireMethods.EGRESS_BATCHED_RECEIVER,
                        CallOptions.DEFAULT), batchRequest, cast(viaBatches));
                batched.put(name, viaBatches);
                EgressRequest singleRequest = EgressRequest.newBuilder()
                        .setShardId(request.getShardId().isEmpty() ? "" : request.getShardId() + "-single")
                        .addAllSelectors(request.getSelectorsList()).build();
                Received viaSingles = new Received();
                ClientCalls.asyncServerStreamingCall(channel.newCall(WireMethods.EGRESS_RECEIVER, CallOptions.DEFAULT),
                        singleRequest, cast(viaSingles));
                single.put(name, viaSingles);
            }));
            int clients = batched.size() + single.size();
            await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == clients);

            tc.dopplers.get(0).emitEncoded(sent);

            requests().forEach((name, request) -> {
                List<ByteString> expected = sent.stream().filter(e -> Selectors.matches(request, e.envelope()))
                        .map(e -> ByteString.copyFrom(e.toByteArray())).toList();
                assertThat(expected).as(name).isNotEmpty();
                for (Received client : List.of(batched.get(name), single.get(name))) {
                    await().atMost(WAIT).until(() -> client.envelopes.size() >= expected.size());
                    assertThat(client.envelopes).as(name).containsExactlyElementsOf(expected);
                }
            });
        } finally {
            context.cancel(null);
            await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 0);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> StreamObserver<T> cast(Received received) {
        return (StreamObserver<T>) (StreamObserver<?>) received;
    }

    @Test
    void websocketConsumersGetTheV1ConversionOfEachEnvelope() {
        List<EncodedEnvelope> sent = sent();
        List<EventFactory.Envelope> expected = sent.stream()
                .flatMap(e -> V1Conversion.toV1(e.envelope()).stream()).toList();
        URI firehose = URI.create("ws://127.0.0.1:" + tc.httpPort() + "/firehose/");
        try (V1Client first = V1Client.connect(firehose.resolve("bytes-first"), tc.issuer.admin(), true);
             V1Client second = V1Client.connect(firehose.resolve("bytes-second"), tc.issuer.admin(), true);
             V1Client third = V1Client.connect(firehose.resolve("bytes-third"), tc.issuer.admin(), true)) {
            await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 3);

            tc.dopplers.get(0).emitEncoded(sent);

            for (V1Client client : List.of(first, second, third)) {
                await().atMost(WAIT).until(() -> client.received.size() >= expected.size());
                assertThat(client.received).containsExactlyElementsOf(expected);
            }
        }
        await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @Test
    void anSseReaderGetsTheJsonOfEachEnvelope() throws Exception {
        List<EncodedEnvelope> sent = sent();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort()
                        + "/v2/read?log&counter&gauge&timer&event"))
                .header("Authorization", "bearer " + tc.issuer.admin()).build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofLines());
        List<String> data = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().filter(line -> line.startsWith("data: {"))
                        .forEach(line -> data.add(line.substring("data: ".length())));
            } catch (UncheckedIOException e) {
                // the test hung up
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 1);

            tc.dopplers.get(0).emitEncoded(sent);

            await().atMost(WAIT).until(() -> data.stream()
                    .mapToInt(json -> EnvelopeJson.batchFromJson(json).getBatchCount()).sum() >= sent.size());
            List<String> expected = new ArrayList<>();
            int next = 0;
            for (String json : data) {
                int count = EnvelopeJson.batchFromJson(json).getBatchCount();
                EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
                sent.subList(next, next + count).forEach(e -> batch.addBatch(e.envelope()));
                next += count;
                expected.add(EnvelopeJson.toJson(batch.build()));
            }
            assertThat(data).containsExactlyElementsOf(expected);
        } finally {
            response.body().close();
        }
        await().atMost(WAIT).until(() -> tc.dopplerSubscriptions() == 0);
    }
}
