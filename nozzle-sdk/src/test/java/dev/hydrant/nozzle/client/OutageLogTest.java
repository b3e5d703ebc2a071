package dev.hydrant.nozzle.client;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzle.wire.LogCapture;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/**
 * An outage of a stream that reads several apps (one connection per app on the websocket) is one WARN when it
 * starts and one INFO when it ends, and nothing from Reactor or Reactor Netty: no stack trace per connection
 * or per attempt.
 */
class OutageLogTest {

    private static final ReconnectPolicy FAST = new ReconnectPolicy(
            Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(5));

    private final FakeTrafficController server = new FakeTrafficController();
    private final List<Envelope> received = new CopyOnWriteArrayList<>();
    private Disposable subscription;

    @AfterEach
    void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
        server.close();
    }

    private void publishUntilReceived(String message) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            server.publish(log("app-2", message));
            return received.stream().anyMatch(e -> text(e).equals(message));
        });
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void anOutageOfAStreamOfThreeApps_isOneWarnAndOneInfo_withoutStackTraces(Transport transport) {
        server.start();
        List<Selector> selectors = List.of(EnvelopeType.LOG.selector("app-1"), EnvelopeType.LOG.selector("app-2"),
                EnvelopeType.LOG.selector("app-3"));
        try (LogCapture client = new LogCapture(HydrantClient.class);
             LogCapture reactor = LogCapture.asConfigured("reactor")) {
            subscription = HydrantClient.builder().baseUrl(server.baseUrl()).transport(transport).reconnect(FAST).build()
                    .read(new ReadRequest("", selectors)).subscribe(received::add);
            publishUntilReceived("before");

            server.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.lines(Level.DEBUG, "Still disconnected").size() >= 5);
            server.start();
            publishUntilReceived("after");

            assertThat(client.visible()).hasSize(3);
            assertThat(client.lines(Level.WARN, "")).singleElement().asString()
                    .startsWith("Lost connection to stream of [app-1, app-2, app-3] via " + transport)
                    .endsWith("; retrying with backoff up to 200ms");
            assertThat(client.lines(Level.INFO, "Reconnected to")).hasSize(1);
            assertThat(client.withStackTraces()).isEmpty();
            assertThat(reactor.visible()).isEmpty();
        }
    }
}
