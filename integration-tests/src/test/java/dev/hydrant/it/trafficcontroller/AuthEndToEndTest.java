package dev.hydrant.it.trafficcontroller;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.Pipe;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.http.RecentClient;
import dev.hydrant.testsupport.tokens.Tokens;
import dev.hydrant.testsupport.websocket.V1Client;
import io.grpc.Status;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAccumulator;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals as docs/wire.md sections 4 to 6 give them, through the real pipe: no token, a malformed
 * one, a forged signature, an expired token, a token without the firehose scope and a token for
 * another app are each refused with the documented status, while an app's logs stream through
 * Metron and two Dopplers; none of those attempts ever opens a subscription on a Doppler.
 */
class AuthEndToEndTest {

    @TempDir
    Path dir;

    private Pipe pipe;
    private TrafficControllerNode tc;
    private Tokens tokens;
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
    private final DoubleAccumulator mostSubscriptions = new DoubleAccumulator(Math::max, 0);

    @BeforeEach
    void start() {
        tokens = new Tokens();
        pipe = Pipe.start(dir, 2, Map.of(), Map.of());
        tc = TrafficControllerNode.start(pipe, "traffic-controller", pipe.dopplerAddresses(),
                tokens.writePublicKey(dir.resolve("uaa")), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        watch.shutdownNow();
        if (tc != null) {
            tc.close();
        }
        if (pipe != null) {
            pipe.close();
        }
    }

    @Test
    void badTokensAndOtherAppsLogs_areRefusedWithTheDocumentedStatus_andNeverReachADoppler() throws Exception {
        // while the attempts run, app-a keeps logging and the Dopplers' open subscriptions are watched
        watch.scheduleAtFixedRate(() -> mostSubscriptions.accumulate(pipe.dopplerMetric("subscriptions")),
                0, 5, TimeUnit.MILLISECONDS);
        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        emitter.send("app-a", 200);

        String forged = tokens.forgedAdmin();
        String expired = tokens.expiredAdmin();
        String malformed = "not-a.jwt.at-all";
        String readerOfA = tokens.reader("app-a");

        // the firehose: 401 with a challenge, for every failure
        URI firehose = tc.ws("/firehose/intruder");
        for (String token : new String[] {null, malformed, forged, expired, readerOfA}) {
            V1Client.Refusal refusal = V1Client.refusal(firehose, token);
            assertThat(refusal.status()).as("firehose with token %s", token).isEqualTo(401);
            assertThat(refusal.challenge()).as("firehose with token %s", token)
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWithIgnoringCase("bearer"));
        }
        assertThat(V1Client.refusal(tc.ws("/firehose/intruder?filter-type=logs"), readerOfA).status()).isEqualTo(401);

        // an app stream: 404 for an app the caller may not read (and for any token that is no good);
        // without any token at all, 401
        URI appB = tc.ws("/apps/app-b/stream");
        for (String token : new String[] {readerOfA, malformed, forged, expired}) {
            assertThat(V1Client.refusal(appB, token).status()).as("app stream with token %s", token).isEqualTo(404);
        }
        assertThat(V1Client.refusal(tc.ws("/apps/app-a/stream"), forged).status()).isEqualTo(404);
        assertThat(V1Client.refusal(tc.ws("/apps/app-a/stream"), expired).status()).isEqualTo(404);
        assertThat(V1Client.refusal(appB, null).status()).isEqualTo(401);

        // recent logs of another app: 404
        for (String token : new String[] {readerOfA, forged, expired}) {
            assertThat(RecentClient.recentLogs(tc.http("/apps/app-b/recentlogs?limit=10"), token).status())
                    .as("recent logs with token %s", token).isEqualTo(404);
        }

        // the RLP gateway: 404 not_found as JSON for every auth failure
        List<SseConsumer.Answer> sse = new ArrayList<>();
        sse.add(SseConsumer.answer(tc.http("/v2/read?source_id=app-a&log"), null));
        sse.add(SseConsumer.answer(tc.http("/v2/read?source_id=app-a&log"), malformed));
        sse.add(SseConsumer.answer(tc.http("/v2/read?source_id=app-a&log"), forged));
        sse.add(SseConsumer.answer(tc.http("/v2/read?source_id=app-a&log"), expired));
        sse.add(SseConsumer.answer(tc.http("/v2/read?source_id=app-b&log"), readerOfA));
        sse.add(SseConsumer.answer(tc.http("/v2/read?source_id=app-a&source_id=app-b&log"), readerOfA));
        sse.add(SseConsumer.answer(tc.http("/v2/read?log"), readerOfA));
        assertThat(sse).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.contentType()).startsWith("application/json");
            assertThat(answer.body().path("error").asString()).isEqualTo("not_found");
            assertThat(answer.body().has("message")).isTrue();
        });

        // the Log Cache style read: 404
        for (String token : new String[] {null, readerOfA, forged, expired}) {
            assertThat(RecentClient.read(tc.http("/api/v1/read/app-b?limit=10"), token).status())
                    .as("read with token %s", token).isEqualTo(404);
        }

        // the v2 gRPC egress: a client certificate from another CA does not get past TLS
        TlsFiles foreign = CertificateAuthority.create("another-ca").issueFiles(dir.resolve("foreign"), "intruder");
        TlsFiles trustsTheServer = new TlsFiles(foreign.certFile(), foreign.keyFile(), pipe.clientFiles("ca").caFile());
        EgressConsumer intruder = EgressConsumer.open(pipe.channel(tc.grpcPort(), "traffic-controller", trustsTheServer),
                EgressBatchRequest.newBuilder().addSelectors(Selector.newBuilder().setLog(LogSelector.getDefaultInstance()))
                        .build());
        await().atMost(PATIENCE).until(() -> intruder.error.get() != null);
        assertThat(intruder.error.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

        emitter.send("app-a", 200);
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("ingress") >= 400);
        watch.shutdown();
        assertThat(watch.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mostSubscriptions.get()).as("subscriptions ever open on the Dopplers").isZero();
        assertThat(pipe.dopplerMetric("egress")).as("envelopes the Dopplers sent to anyone").isZero();
        assertThat(tc.metric("ingress")).as("envelopes the Traffic Controller got").isZero();
        // every one of the 27 HTTP refusals above is counted (6 firehose, 7 app stream, 3 recent logs,
        // 7 SSE, 4 read); the foreign certificate never got as far as HTTP
        assertThat(tc.metric("rejected_requests")).isEqualTo(27);

        // and the same app stream with a good token (here in the authorization cookie) is served
        try (V1Client consumer = V1Client.connectWithCookie(tc.ws("/apps/app-a/stream"), "bearer " + readerOfA)) {
            await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= 2);
            List<Envelope> sent = emitter.send("app-a", 100);
            List<String> texts = sent.stream().map(e -> e.getLog().getPayload().toStringUtf8()).toList();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(consumer.texts("app-a")).containsAll(texts));
            assertThat(consumer.logs("app-a")).allSatisfy(log -> assertThat(log.getAppId()).isEqualTo("app-a"));
        }
    }
}
