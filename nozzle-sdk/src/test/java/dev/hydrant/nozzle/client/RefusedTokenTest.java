package dev.hydrant.nozzle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzle.auth.ClientCredentialsTokenProvider;
import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.wire.FakeTokenEndpoint;
import dev.hydrant.nozzle.wire.LogCapture;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.Disposable;

/**
 * A token the Traffic Controller refuses (the 404 of /v2/read and of app streams, the 401 of the websocket
 * firehose) is not an outage: one ERROR that says what to fix, the listener told, retries at the longest
 * backoff without more ERRORs, or the stream ending when it fails fast. And the stream comes back by itself
 * once the token is granted.
 */
class RefusedTokenTest {

    private static final ReconnectPolicy FAST = new ReconnectPolicy(
            Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(5));

    private final FakeTrafficController server = new FakeTrafficController();
    private final List<Throwable> disconnects = new CopyOnWriteArrayList<>();
    private final List<String> connects = new CopyOnWriteArrayList<>();
    private Disposable subscription;

    @BeforeEach
    void start() {
        server.start().token("good-token", "*");
    }

    @AfterEach
    void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
        server.close();
    }

    private HydrantClient.Builder client(Transport transport, TokenProvider tokens) {
        return HydrantClient.builder().baseUrl(server.baseUrl()).transport(transport).tokenProvider(tokens).reconnect(FAST)
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void connected(String stream) {
                        connects.add(stream);
                    }

                    @Override
                    public void disconnected(String stream, Throwable cause) {
                        disconnects.add(cause);
                    }
                });
    }

    @ParameterizedTest
    @CsvSource({"SSE, firehose, 404", "SSE, app, 404", "WEBSOCKET, firehose, 401", "WEBSOCKET, app, 404"})
    void aRefusedToken_isOneErrorSayingWhatToFix_andIsRetriedQuietly(Transport transport, String what, int status) {
        try (LogCapture logs = new LogCapture(HydrantClient.class)) {
            HydrantClient client = client(transport, TokenProvider.fixed("stale-token")).build();
            subscription = (what.equals("app") ? client.stream("app-1") : client.firehose("refused")).subscribe();

            await().atMost(Duration.ofSeconds(30)).until(() -> server.requests().size() >= 6);

            assertThat(logs.visible()).singleElement().asString()
                    .startsWith("ERROR ")
                    .contains("refused the token (GET /")
                    .contains("answered " + status)
                    .contains("check hydrant.nozzle.token, or client-id, client-secret and token-url")
                    .endsWith("retrying every 200ms until it is fixed");
            assertThat(logs.withStackTraces()).isEmpty();
            assertThat(disconnects).singleElement().isInstanceOfSatisfying(HydrantClientException.class,
                    e -> assertThat(e.permanent()).isTrue());
        }
    }

    @Test
    void onceTheTokenIsGranted_theStreamConnectsByItself() {
        try (LogCapture logs = new LogCapture(HydrantClient.class)) {
            subscription = client(Transport.SSE, TokenProvider.fixed("late-token")).build().firehose("late").subscribe();
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.lines(Level.ERROR, "refused the token").isEmpty());

            server.token("late-token", "*");

            await().atMost(Duration.ofSeconds(30)).until(() -> server.subscribers() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.lines(Level.INFO, "Connected to").isEmpty());
            assertThat(logs.lines(Level.INFO, "Connected to")).singleElement().asString().contains("failed attempts");
            assertThat(connects).hasSize(1);
        }
    }

    @Test
    void failingFast_aRefusedTokenEndsTheStreamWithTheProblem() {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        subscription = client(Transport.SSE, TokenProvider.fixed("stale-token")).failFast(true).build()
                .firehose("refused").subscribe(envelope -> { }, ended::complete);

        assertThat(ended).succeedsWithin(Duration.ofSeconds(30)).isInstanceOfSatisfying(HydrantClientException.class, e -> {
            assertThat(e.permanent()).isTrue();
            assertThat(e.status()).isEqualTo(404);
            assertThat(e).hasMessageContaining("refused the token").hasMessageContaining("hydrant.nozzle.token");
        });
    }

    @Test
    void aTokenEndpointRefusingTheCredentials_isOneErrorNamingThem() {
        try (FakeTokenEndpoint uaa = new FakeTokenEndpoint("nozzle", "right-secret", 3600);
             LogCapture logs = new LogCapture(HydrantClient.class)) {
            TokenProvider tokens = ClientCredentialsTokenProvider.create(uaa.tokenUri(), "nozzle", "wrong-secret");
            subscription = client(Transport.SSE, tokens).build().firehose("creds").subscribe();

            await().atMost(Duration.ofSeconds(30)).until(() -> uaa.forms().size() >= 4);

            assertThat(logs.visible()).singleElement().asString()
                    .startsWith("ERROR ")
                    .contains("The token endpoint refused the client credentials")
                    .contains("answered 401")
                    .contains("check hydrant.nozzle.client-id, client-secret, scope and token-url")
                    .doesNotContain("wrong-secret");
            assertThat(server.requests()).isEmpty();
        }
    }
}
