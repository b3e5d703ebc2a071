package dev.hydrant.it.trafficcontroller;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.Pipe;
import dev.hydrant.testsupport.http.RecentClient;
import dev.hydrant.testsupport.tokens.Tokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recent logs come from the Doppler caches, read in pieces, so that whatever a cache holds comes
 * back. Two 9 MiB lines sent back to back and the lines after them, together over the 10 MiB a gRPC
 * message may carry, come back whole through both reads, and reach a v2 gRPC nozzle as they happen:
 * no hop (Metron to Doppler, Doppler to Traffic Controller, Traffic Controller to nozzle) puts both
 * in one batch, which its reader would refuse. And with three Dopplers, two real ones that Metron
 * spreads an app's lines over and one that hangs (it accepts TCP and never answers, not even TLS),
 * the newest N lines still come back in time order, both as the v1 multipart answer and from the
 * Log Cache style read: the hung Doppler is left out when the recent-logs deadline (5 s here, time
 * for the real Dopplers to answer on a busy machine) passes, which is counted as a miss and marks
 * the answer partial. The answer's time is bounded below the client's own timeout (20 s) with room
 * for a busy machine: that the deadline did its work shows in the misses.
 */
class RecentLogsEndToEndTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /** The deadline and room for a busy machine; without the deadline the client's 20 s would run out. */
    private static final Duration ANSWER_WITHIN = DEADLINE.plusSeconds(10);

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    private static final int LARGE_PADDING = 9 * 1024 * 1024;

    @Test
    void twoNineMebibyteLinesSentTogether_andTheLinesAfterThem_reachANozzleAndComeBackThroughBothReads() throws Exception {
        Tokens tokens = e2e.tokens();
        // Metron fills a batch for up to 3 s (on one stream for up to 10 s), so that the lines sent
        // back to back wait in its buffer together, also on a busy machine
        Pipe pipe = e2e.keep(Pipe.start(e2e.dir(), 1, Map.of(), Map.of(
                "hydrant.metron.batch-interval", "3s", "hydrant.metron.stream-max-age", "10s")));
        TrafficControllerNode tc = e2e.trafficController(pipe, Map.of());
        EgressConsumer nozzle = e2e.keep(EgressConsumer.open(tc.egressChannel("nozzle"), EgressBatchRequest.newBuilder()
                .addSelectors(Selector.newBuilder().setSourceId("app-big").setLog(LogSelector.getDefaultInstance()))
                .build()));
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= 1);
        LogEmitter emitter = new LogEmitter(pipe.metronChannel());

        // both large lines on one stream, back to back: they wait in Metron's buffer together
        List<Envelope> sent = new ArrayList<>(emitter.send("app-big", "0", 2, 1, LARGE_PADDING));
        sent.addAll(emitter.send("app-big", "0", 20, 10, 0));
        // the Doppler caches a line before it routes it: once the nozzle has them all, so has the cache
        await().atMost(PATIENCE).until(() -> nozzle.logs("app-big").size() >= sent.size()
                || nozzle.error.get() != null || pipe.metronMetric("dropped", "direction", "egress") > 0);
        assertThat(pipe.metronMetric("dropped", "direction", "egress")).as(() -> TrafficControllerNode.ledger(pipe, 1, tc))
                .isZero();
        assertThat(nozzle.error.get()).as("the nozzle's stream").isNull();
        assertThat(nozzle.logs("app-big")).extracting(e -> shortly(e.getLog().getPayload().toStringUtf8()))
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(e -> shortly(e.getLog().getPayload().toStringUtf8())).toList());
        List<String> texts = sent.stream().map(e -> shortly(e.getLog().getPayload().toStringUtf8())).toList();
        String token = tokens.reader("app-big");

        RecentClient.Multipart recent = RecentClient.recentLogs(tc.http("/apps/app-big/recentlogs"), token);
        assertThat(recent.status()).isEqualTo(200);
        assertThat(recent.envelopes()).extracting(e -> shortly(e.getLogMessage().getMessage().toStringUtf8()))
                .containsExactlyElementsOf(texts);
        assertThat(recent.envelopes()).extracting(e -> e.getLogMessage().getTimestamp())
                .containsExactlyElementsOf(sent.stream().map(Envelope::getTimestamp).toList());

        RecentClient.Json read = RecentClient.read(tc.http("/api/v1/read/app-big?limit=1000"), token);
        assertThat(read.status()).isEqualTo(200);
        List<String> readTexts = new ArrayList<>();
        for (JsonNode envelope : read.body().path("envelopes").path("batch")) {
            readTexts.add(shortly(SseConsumer.logLine(envelope).text()));
        }
        assertThat(readTexts).containsExactlyElementsOf(texts);
        assertThat(tc.metric("recent_logs.doppler_misses")).isZero();
    }

    /** A line as a failure message can show it: its length and how it starts. */
    private static String shortly(String text) {
        return text.length() + ":" + text.substring(0, Math.min(40, text.length()));
    }

    @Test
    void newestLinesInTimeOrder_althoughOneOfThreeDopplersHangs_whichTheDeadlineLeavesOut() throws Exception {
        Tokens tokens = e2e.tokens();
        Pipe pipe = e2e.pipe(2);
        HungDoppler hung = e2e.keep(new HungDoppler());
        List<String> dopplers = new ArrayList<>(pipe.dopplerAddresses());
        dopplers.add(1, hung.address());
        TrafficControllerNode tc = e2e.trafficController(pipe, "traffic-controller", dopplers,
                Map.of("hydrant.traffic-controller.recent-logs-deadline", DEADLINE.toMillis() + "ms"));

        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        List<Envelope> sent = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            sent.addAll(emitter.send("app-r", String.valueOf(round % 3), 50, 10, 0));
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pipe.dopplerMetric("ingress"))
                .as(() -> TrafficControllerNode.ledger(pipe, 2, tc)).isGreaterThanOrEqualTo(sent.size()));
        assertThat(pipe.dopplerMetric(0, "ingress")).as("lines cached by the first Doppler").isPositive();
        assertThat(pipe.dopplerMetric(1, "ingress")).as("lines cached by the second Doppler").isPositive();

        String token = tokens.reader("app-r");
        int limit = 200;
        List<Envelope> newest = sent.subList(sent.size() - limit, sent.size());

        // the v1 recent logs: multipart/x-protobuf, one dropsonde Envelope per part
        RecentClient.Multipart recent = RecentClient.recentLogs(tc.http("/apps/app-r/recentlogs?limit=" + limit), token);
        assertThat(recent.status()).isEqualTo(200);
        assertThat(recent.contentType()).startsWith("multipart/x-protobuf");
        assertThat(recent.took()).isLessThan(ANSWER_WITHIN);
        assertThat(recent.envelopes()).allSatisfy(e ->
                assertThat(e.getEventType()).isEqualTo(EventFactory.Envelope.EventType.LogMessage));
        List<LogFactory.LogMessage> logs = recent.envelopes().stream().map(EventFactory.Envelope::getLogMessage).toList();
        assertThat(logs.stream().map(log -> log.getMessage().toStringUtf8()).toList())
                .containsExactlyElementsOf(newest.stream().map(e -> e.getLog().getPayload().toStringUtf8()).toList());
        assertThat(logs.stream().map(LogFactory.LogMessage::getTimestamp).toList())
                .containsExactlyElementsOf(newest.stream().map(Envelope::getTimestamp).toList());
        assertThat(logs.stream().map(LogFactory.LogMessage::getSourceInstance).toList())
                .containsExactlyElementsOf(newest.stream().map(Envelope::getInstanceId).toList());
        assertThat(logs).allSatisfy(log -> {
            assertThat(log.getAppId()).isEqualTo("app-r");
            assertThat(log.getSourceType()).isEqualTo("APP/PROC/WEB");
            assertThat(log.getMessageType()).isEqualTo(LogFactory.LogMessage.MessageType.OUT);
        });

        // the Log Cache style read: {"envelopes":{"batch":[...]}}, oldest first, marked partial
        long start = System.nanoTime();
        HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        tc.http("/api/v1/read/app-r?limit=" + limit)).header("Authorization", "bearer " + token)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ANSWER_WITHIN);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("X-Hydrant-Partial")).as("one of three Dopplers missed").hasValue("1/3");
        List<SseConsumer.LogLine> lines = new ArrayList<>();
        for (JsonNode envelope : JsonMapper.builder().build().readTree(read.body()).path("envelopes").path("batch")) {
            lines.add(SseConsumer.logLine(envelope));
        }
        assertThat(lines).containsExactlyElementsOf(newest.stream().map(e -> new SseConsumer.LogLine(
                e.getSourceId(), e.getInstanceId(), e.getTimestamp(), "APP/PROC/WEB", "OUT",
                e.getLog().getPayload().toStringUtf8())).toList());

        // the hung Doppler was asked each time (and connected to), and left out when it missed the deadline
        assertThat(hung.connections()).isPositive();
        assertThat(tc.metric("recent_logs.doppler_misses")).isEqualTo(2);
    }
}
