package dev.hydrant.it.trafficcontroller;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.Pipe;
import dev.hydrant.testsupport.tokens.Tokens;
import dev.hydrant.testsupport.websocket.V1Client;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Emitter -> Metron -> two Dopplers -> Traffic Controller -> every kind of client, each client
 * written from the wire spec: a v1 firehose and a v1 app stream (dropsonde frames over
 * websockets), an RLP-gateway SSE reader (proto3 JSON) and a v2 gRPC nozzle (mutual TLS).
 */
class StreamsEndToEndTest {

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    /** What a v1 log message tells, to compare with what was sent. */
    private record V1Line(String appId, String sourceType, String instance, String type, long timestamp, String text) {

        static V1Line of(LogFactory.LogMessage log) {
            return new V1Line(log.getAppId(), log.getSourceType(), log.getSourceInstance(), log.getMessageType().name(),
                    log.getTimestamp(), log.getMessage().toStringUtf8());
        }

        static V1Line expected(Envelope sent) {
            return new V1Line(sent.getSourceId(), sent.getTagsOrThrow("source_type"), sent.getInstanceId(),
                    sent.getLog().getType().name(), sent.getTimestamp(), sent.getLog().getPayload().toStringUtf8());
        }
    }

    @Test
    void firehoseAppStreamSseAndGrpcNozzle_eachReadExactlyWhatTheEmitterSent() throws Exception {
        Tokens tokens = e2e.tokens();
        Pipe pipe = e2e.pipe(2);
        // no heartbeat within the test: the SSE response's headers below cannot be carried by one
        TrafficControllerNode tc = e2e.trafficController(pipe, Map.of("hydrant.traffic-controller.sse-heartbeat", "10m"));

        V1Client firehose = e2e.keep(V1Client.connect(tc.ws("/firehose/it-nozzle?filter-type=logs"), tokens.admin()));
        V1Client appStream = e2e.keep(V1Client.connect(tc.ws("/apps/app-a/stream"), tokens.reader("app-a")));
        // opened while app-a is still quiet: its 200 and headers must come at once, not with the
        // first heartbeat 10 min later (open() waits 60 s at most)
        SseConsumer sse = e2e.keep(SseConsumer.open(tc.http("/v2/read?source_id=app-a&log"), tokens.reader("app-a")));
        EgressConsumer nozzle = e2e.keep(EgressConsumer.open(tc.egressChannel("nozzle"), EgressBatchRequest.newBuilder()
                .addSelectors(Selector.newBuilder().setSourceId("app-a").setLog(LogSelector.getDefaultInstance()))
                .build()));
        // four clients, each fanned in from both Dopplers
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= 8);

        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        List<Envelope> appA = new ArrayList<>(emitter.send("app-a", "0", 600, 100, 0));
        List<Envelope> appB = emitter.send("app-b", "2", 500, 100, 0);
        appA.addAll(emitter.send("app-a", "1", 400, 50, 0));
        List<V1Line> expectedA = appA.stream().map(V1Line::expected).toList();
        List<V1Line> expectedB = appB.stream().map(V1Line::expected).toList();
        Supplier<String> ledger = () -> TrafficControllerNode.ledger(pipe, 2, tc);

        // the v1 app stream: that app's lines, each exactly as sent, none of another app's
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(appStream.logs("app-a")).as(ledger).hasSize(appA.size()));
        assertThat(appStream.logs("app-a").stream().map(V1Line::of).toList())
                .containsExactlyInAnyOrderElementsOf(expectedA);
        assertThat(appStream.received).allSatisfy(e -> {
            assertThat(e.getEventType()).isEqualTo(EventFactory.Envelope.EventType.LogMessage);
            assertThat(e.getLogMessage().getAppId()).isEqualTo("app-a");
        });

        // the v1 firehose: every app
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(firehose.logs("app-a")).as(ledger).hasSize(appA.size());
            assertThat(firehose.logs("app-b")).as(ledger).hasSize(appB.size());
        });
        assertThat(firehose.logs("app-a").stream().map(V1Line::of).toList()).containsExactlyInAnyOrderElementsOf(expectedA);
        assertThat(firehose.logs("app-b").stream().map(V1Line::of).toList()).containsExactlyInAnyOrderElementsOf(expectedB);

        // the SSE reader: the batches as proto3 JSON
        assertThat(sse.response().statusCode()).isEqualTo(200);
        assertThat(sse.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sse.logs("app-a")).as(ledger).hasSize(appA.size()));
        assertThat(sse.envelopes).hasSize(appA.size());
        assertThat(sse.logs("app-a")).containsExactlyInAnyOrderElementsOf(appA.stream()
                .map(e -> new SseConsumer.LogLine(e.getSourceId(), e.getInstanceId(), e.getTimestamp(),
                        e.getTagsOrThrow("source_type"), e.getLog().getType().name(), e.getLog().getPayload().toStringUtf8()))
                .toList());

        // the gRPC nozzle: the very envelopes the emitter sent
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(nozzle.envelopes).as(ledger).hasSize(appA.size()));
        assertThat(nozzle.envelopes).containsExactlyInAnyOrderElementsOf(appA);
        assertThat(nozzle.error.get()).isNull();

        assertThat(tc.metric("dropped", "direction", "egress")).isZero();
        assertThat(pipe.dopplerMetric(0, "ingress")).as("Metron spreads over both Dopplers").isPositive();
        assertThat(pipe.dopplerMetric(1, "ingress")).as("Metron spreads over both Dopplers").isPositive();
    }
}
