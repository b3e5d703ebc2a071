package dev.hydrant.nozzle.client;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.wire.LogCapture;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/** Reading over SSE and the v1 websocket from a server that speaks docs/wire.md, including outages. */
class StreamReadingTest {

    private static final ReconnectPolicy FAST = new ReconnectPolicy(
            Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(5));

    private final FakeTrafficController server = new FakeTrafficController();
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private Disposable subscription;

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
        server.close();
    }

    private HydrantClient client(Transport transport, ReconnectPolicy policy) {
        return HydrantClient.builder()
                .baseUrl(server.baseUrl())
                .transport(transport)
                .tokenProvider(TokenProvider.fixed("secret-token"))
                .reconnect(policy)
                .build();
    }

    private void publishUntilReceived(Envelope envelope) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            server.publish(envelope);
            return received.stream().anyMatch(e -> text(e).equals(text(envelope)));
        });
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void firehose_deliversV2EnvelopesOfTheSelectedTypes_withTokenAndSubscriptionId(Transport transport) {
        subscription = client(transport, FAST).firehose("my-nozzle", Set.of(EnvelopeType.LOG)).subscribe(received::add);
        await().until(() -> server.subscribers() == 1);

        server.publish(log("app-1", "hello"), counter("app-1", "requests", 3), log("app-2", "world"));

        await().untilAsserted(() -> assertThat(received).extracting(e -> e.getSourceId() + ":" + text(e))
                .containsExactly("app-1:hello", "app-2:world"));
        assertThat(received.get(0).getTagsMap()).containsEntry("source_type", "APP/PROC/WEB");
        String request = server.requests().get(0);
        assertThat(request).endsWith("| bearer secret-token");
        if (transport == Transport.SSE) {
            assertThat(request).startsWith("GET /v2/read?shard_id=my-nozzle&log ");
        } else {
            assertThat(request).startsWith("GET /firehose/my-nozzle?filter-type=logs ");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void appStream_deliversOnlyThatSourcesEnvelopes(Transport transport) {
        subscription = client(transport, FAST).stream("app-1").subscribe(received::add);
        await().until(() -> server.subscribers() == 1);

        server.publish(log("app-1", "mine"), log("app-2", "not mine"), counter("app-1", "requests", 3));

        await().untilAsserted(() -> assertThat(received).hasSize(2));
        assertThat(received).allMatch(e -> e.getSourceId().equals("app-1"));
        assertThat(received.get(1).getCounter().getName()).isEqualTo("requests");
        assertThat(server.requests().get(0)).startsWith(transport == Transport.SSE
                ? "GET /v2/read?source_id=app-1&log&counter&gauge&timer&event " : "GET /apps/app-1/stream ");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void whenTheServerIsKilledAndRestarted_theStreamResumesAndSaysSoOnce(Transport transport) {
        try (LogCapture logs = new LogCapture(HydrantClient.class)) {
            subscription = client(transport, FAST).firehose("resume").subscribe(received::add);
            publishUntilReceived(log("app", "before"));

            server.stop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> logs.lines(Level.DEBUG, "Still disconnected").size() >= 3);
            server.start();
            publishUntilReceived(log("app", "after"));

            assertThat(logs.lines(Level.WARN, "Lost connection to")).singleElement().asString()
                    .contains("resume").endsWith("; retrying with backoff up to 200ms");
            assertThat(logs.lines(Level.INFO, "Reconnected to")).singleElement().asString()
                    .containsPattern("after \\d+ failed attempts, \\d+\\.\\d s$");
            assertThat(logs.visible()).hasSize(3);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void whenNoHeartbeatArrives_theStreamIsTakenForDeadAndReopened(Transport transport) {
        server.heartbeat(null);
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0.5,
                Duration.ofMillis(400));
        try (LogCapture logs = new LogCapture(HydrantClient.class)) {
            subscription = client(transport, policy).firehose("silent").subscribe(received::add);

            await().atMost(Duration.ofSeconds(30)).until(() -> server.streamsOpened() >= 3);

            assertThat(logs.lines(Level.WARN, "Lost connection to")).singleElement().asString()
                    .contains("no data, heartbeat or ping within the idle timeout");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void heartbeatsKeepAQuietStreamOpen(Transport transport) {
        // a heartbeat every 100 ms against an idle timeout of 1.5 s: a busy machine's pauses do not
        // reach it, and the stream is watched for more than twice the idle timeout
        server.heartbeat(Duration.ofMillis(100));
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0.5,
                Duration.ofMillis(1500));
        subscription = client(transport, policy).firehose("quiet").subscribe(received::add);
        await().until(() -> server.streamsOpened() == 1);

        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(30)).until(() -> server.streamsOpened() == 1);
        if (transport == Transport.WEBSOCKET) {
            assertThat(server.pongs()).isGreaterThan(5);
        }
    }
}
