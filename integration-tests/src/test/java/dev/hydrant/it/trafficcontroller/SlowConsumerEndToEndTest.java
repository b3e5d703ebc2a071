package dev.hydrant.it.trafficcontroller;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.Pipe;
import dev.hydrant.testsupport.tokens.Tokens;
import dev.hydrant.testsupport.websocket.RawWebsocket;
import dev.hydrant.testsupport.websocket.V1Client;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A websocket consumer that stops reading is cut by the Traffic Controller once the slow-consumer
 * timeout (2 s here, to keep the test short) has passed, never before, and counted as
 * {@code doppler_proxy.slow_consumer}, while a healthy consumer on the same Traffic Controller keeps
 * getting every line (every buffer on its way has room for the whole run).
 */
class SlowConsumerEndToEndTest {

    /** 2 KiB lines at 2,000 a second: what a stuck consumer leaves unread piles up fast. */
    private static final int PADDING = 2048;
    private static final Duration SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    @Test
    void aConsumerThatStopsReading_isCutOnceTheTimeoutHasPassed_whileAHealthyOneGetsEverything() throws Exception {
        Tokens tokens = e2e.tokens();
        Pipe pipe = e2e.pipe(1);
        TrafficControllerNode tc = e2e.trafficController(pipe,
                Map.of("hydrant.traffic-controller.slow-consumer-timeout", SLOW_CONSUMER_TIMEOUT.toMillis() + "ms"));
        V1Client healthy = e2e.keep(V1Client.connect(tc.ws("/firehose/healthy?filter-type=logs"), tokens.admin()));
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= 1);

        // the app logs steadily until the stuck consumer has been cut, and two seconds more
        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        AtomicBoolean cut = new AtomicBoolean();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            long until = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(until, giveUp)) {
                try {
                    emitter.send("app-slow", "0", 100, 100, PADDING);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                if (cut.get() && until == Long.MAX_VALUE) {
                    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                }
            }
        });

        RawWebsocket stuck = e2e.keep(RawWebsocket.connect(tc.ws("/firehose/stuck?filter-type=logs"), tokens.admin(),
                RawWebsocket.SMALL_RECEIVE_BUFFER));
        EventFactory.Envelope first = EventFactory.Envelope.parseFrom(stuck.nextBinaryMessage());
        long stalledAt = System.nanoTime();
        assertThat(first.getLogMessage().getAppId()).isEqualTo("app-slow");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> tc.metric("doppler_proxy.slow_consumer") >= 1);
        long cutAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt);
        cut.set(true);
        load.get(60, TimeUnit.SECONDS);
        List<Envelope> sent = emitter.sent();

        // not before the timeout (less the watchdog's tick); how long after it depends on the machine
        assertThat(cutAfterMillis).as("ms from the consumer's last read to its cut")
                .isGreaterThanOrEqualTo(SLOW_CONSUMER_TIMEOUT.toMillis() * 9 / 10);
        assertThat(tc.metric("doppler_proxy.slow_consumer")).isEqualTo(1);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(tc.metric("doppler_proxy.firehoses")).isEqualTo(1));

        // the healthy consumer got every line, before and after the cut
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(healthy.logs("app-slow"))
                .as(() -> TrafficControllerNode.ledger(pipe, 1, tc)).hasSize(sent.size()));
        assertThat(healthy.texts("app-slow")).containsExactlyInAnyOrderElementsOf(
                sent.stream().map(e -> e.getLog().getPayload().toStringUtf8()).toList());
        assertThat(healthy.closed).isNotDone();

        // the stuck consumer, once it reads again, finds its connection ended
        assertThat(stuck.findsItsConnectionEnded(Duration.ofSeconds(30))).isTrue();
    }
}
