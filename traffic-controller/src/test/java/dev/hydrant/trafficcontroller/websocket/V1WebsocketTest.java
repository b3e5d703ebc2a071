package dev.hydrant.trafficcontroller.websocket;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.counter;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.websocket.V1Client;
import dev.hydrant.trafficcontroller.support.FakeDoppler;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class V1WebsocketTest {

    @TempDir
    static Path dir;
    static TrafficControllerRunner tc;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of(
                // long enough that a healthy consumer on a busy machine is not taken for a slow one
                "hydrant.traffic-controller.slow-consumer-timeout", "3s",
                "hydrant.traffic-controller.client-buffer-size", "200"));
    }

    @AfterEach
    void allStreamsEnded() {
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == 0);
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + tc.httpPort() + path);
    }

    private FakeDoppler doppler() {
        return tc.dopplers.get(0);
    }

    private void awaitSubscriptions(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == n);
    }

    private static List<String> texts(List<EventFactory.Envelope> envelopes) {
        return envelopes.stream().filter(EventFactory.Envelope::hasLogMessage)
                .map(e -> e.getLogMessage().getMessage().toStringUtf8()).toList();
    }

    @Test
    void firehoseConsumer_decodesEveryEmittedEnvelopeAsDropsonde() {
        int before = 0;
        try (V1Client client = V1Client.connect(ws("/firehose/everything"), tc.issuer.admin(), true)) {
            awaitSubscriptions(before + 1);
            doppler().emit(List.of(log("app-a", "hello", 1), counter("app-b", "requests", 3, 2)));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.received.size() == 2);
            EventFactory.Envelope first = client.received.get(0);
            assertThat(first.getEventType()).isEqualTo(EventFactory.Envelope.EventType.LogMessage);
            assertThat(first.getLogMessage().getMessage().toStringUtf8()).isEqualTo("hello");
            assertThat(first.getLogMessage().getAppId()).isEqualTo("app-a");
            assertThat(client.received.get(1).getCounterEvent().getName()).isEqualTo("requests");
            assertThat(client.received.get(1).getCounterEvent().getDelta()).isEqualTo(3);
        }
        awaitSubscriptions(before);
    }

    @Test
    void appStream_getsOnlyThatAppsLogsAndMetrics() {
        int before = 0;
        try (V1Client client = V1Client.connect(ws("/apps/app-a/stream"), tc.issuer.reader("app-a"), true)) {
            awaitSubscriptions(before + 1);
            doppler().emit(List.of(log("app-b", "not mine", 1), log("app-a", "mine", 2),
                    counter("app-a", "c", 1, 3), TrafficControllerRunner.event("app-a", "no v1 form", 4)));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.received.size() == 2);
            assertThat(texts(client.received)).containsExactly("mine");
            assertThat(client.received.get(1).hasCounterEvent()).isTrue();
        }
    }

    @Test
    void cookieCarriesTheTokenToo() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tc.httpPort()
                        + "/apps/app-a/recentlogs"))
                .header("Cookie", "authorization=bearer%20" + tc.issuer.reader("app-a")).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void filterTypeLogs_getsOnlyLogs_andMetrics_onlyMetrics() {
        int before = 0;
        try (V1Client logs = V1Client.connect(ws("/firehose/logs-only?filter-type=logs"), tc.issuer.admin(), true);
             V1Client metrics = V1Client.connect(ws("/firehose/metrics-only?filter-type=metrics"), tc.issuer.admin(), true)) {
            awaitSubscriptions(before + 2);
            doppler().emit(List.of(log("a", "line", 1), counter("a", "c", 1, 2),
                    TrafficControllerRunner.gauge("a", "latency", 5, 3), log("a", "line2", 4)));
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.received.size() == 2 && metrics.received.size() == 2);
            assertThat(texts(logs.received)).containsExactly("line", "line2");
            assertThat(metrics.received).noneMatch(EventFactory.Envelope::hasLogMessage);
            assertThat(metrics.received).anyMatch(EventFactory.Envelope::hasValueMetric);
        }
    }

    @Test
    void consumersSharingASubscriptionId_splitTheStreamWithoutLossOrDuplicates() {
        int before = 0;
        try (V1Client one = V1Client.connect(ws("/firehose/shared"), tc.issuer.admin(), true);
             V1Client two = V1Client.connect(ws("/firehose/shared"), tc.issuer.admin(), true);
             V1Client other = V1Client.connect(ws("/firehose/another"), tc.issuer.admin(), true)) {
            awaitSubscriptions(before + 3);
            List<Envelope> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add(log("app", "line-" + i, i + 1));
            }
            doppler().emit(sent);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> one.received.size() + two.received.size() == 100 && other.received.size() == 100);
            assertThat(one.received).isNotEmpty();
            assertThat(two.received).isNotEmpty();
            Set<String> union = new HashSet<>(texts(one.received));
            union.addAll(texts(two.received));
            assertThat(union).hasSize(100);
            assertThat(texts(other.received)).hasSize(100);
        }
    }

    @Test
    void consumerThatStopsReading_isCutAfterTheTimeout_whileAHealthyConsumerGetsEverything() {
        int before = 0;
        double slowBefore = tc.counter("doppler_proxy.slow_consumer");
        V1Client stalled = V1Client.connect(ws("/firehose/stalled"), tc.issuer.admin(), false);
        try (V1Client healthy = V1Client.connect(ws("/firehose/healthy"), tc.issuer.admin(), true)) {
            awaitSubscriptions(before + 2);
            String payload = "x".repeat(16 * 1024);
            int sent = 0;
            // until the stalled consumer is cut (however fast or slow the machine), within a bound
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < giveUp && tc.counter("doppler_proxy.slow_consumer") == slowBefore) {
                List<Envelope> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    batch.add(log("app", payload + (sent++), sent));
                }
                doppler().emit(batch);
                int expected = sent;
                await().atMost(Duration.ofSeconds(10)).until(() -> healthy.received.size() == expected);
            }
            assertThat(tc.counter("doppler_proxy.slow_consumer")).isEqualTo(slowBefore + 1);
            assertThat(healthy.received).hasSize(sent);
            assertThat(healthy.closed).isNotDone();
            // the cut consumer's stream is released, the healthy one's is not
            await().atMost(Duration.ofSeconds(10)).until(() -> tc.dopplerSubscriptions() == before + 1);
            assertThat(tc.gauge("doppler_proxy.firehoses")).isEqualTo(1);
            // the stalled consumer, once it reads again, finds its connection ended
            stalled.resume();
            await().atMost(Duration.ofSeconds(10)).until(stalled.closed::isDone);
            assertThat(stalled.received.size()).isLessThan(sent);
        } finally {
            stalled.close();
        }
    }

    @Test
    void firehoseRefusals_are401WithAChallenge_andNeverReachADoppler() {
        int before = 0;
        for (String token : Stream.of(null, "not-a-jwt", tc.issuer.forgedAdmin(), tc.issuer.expiredAdmin(),
                tc.issuer.adminIssuedTomorrow(), tc.issuer.reader("app-a")).toList()) {
            assertThat(V1Client.refusalStatus(ws("/firehose/sub"), token)).as("token %s", token).isEqualTo(401);
        }
        assertThat(tc.dopplerSubscriptions()).isEqualTo(before);
        assertThat(tc.counter("rejected_requests", "reason", "no_token")).isGreaterThanOrEqualTo(1);
        assertThat(tc.counter("rejected_requests", "reason", "invalid_token")).isGreaterThanOrEqualTo(4);
        assertThat(tc.counter("rejected_requests", "reason", "missing_scope")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void appStreamRefusals_are404ForAnotherAppOrABadToken_and401WithoutAToken() {
        assertThat(V1Client.refusalStatus(ws("/apps/app-b/stream"), tc.issuer.reader("app-a"))).isEqualTo(404);
        assertThat(V1Client.refusalStatus(ws("/apps/app-a/stream"), tc.issuer.forgedAdmin())).isEqualTo(404);
        assertThat(V1Client.refusalStatus(ws("/apps/app-a/stream"), tc.issuer.expiredAdmin())).isEqualTo(404);
        assertThat(V1Client.refusalStatus(ws("/apps/app-a/stream"), null)).isEqualTo(401);
    }

    @Test
    void anUnknownFilterType_is400NamingTheValidOnes_andNeverReachesADoppler() throws Exception {
        assertThat(V1Client.refusalStatus(ws("/firehose/sub?filter-type=bogus"), tc.issuer.admin())).isEqualTo(400);
        var http = java.net.http.HttpClient.newHttpClient();
        var answer = http.send(java.net.http.HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + tc.httpPort() + "/firehose/sub?filter-type=bogus"))
                        .header("Authorization", "bearer " + tc.issuer.admin()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("filter-type", "logs", "metrics");
        assertThat(tc.dopplerSubscriptions()).isZero();
        assertThat(tc.counter("rejected_requests", "reason", "bad_request")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void refusalBodiesAndChallengeHeader() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var firehose = http.send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + tc.httpPort() + "/firehose/sub")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(firehose.statusCode()).isEqualTo(401);
        assertThat(firehose.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(firehose.body()).contains("You are not authorized");
    }
}
