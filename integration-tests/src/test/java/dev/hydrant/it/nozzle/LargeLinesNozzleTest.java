package dev.hydrant.it.nozzle;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.Pipe;
import dev.hydrant.it.trafficcontroller.EndToEnd;
import dev.hydrant.it.trafficcontroller.LogEmitter;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import dev.hydrant.nozzle.client.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/**
 * The largest lines the pipe carries reach an SDK nozzle over the Traffic Controller's web
 * transports, whole and without breaking its stream: a 9 MiB log line (the ingress limit is 10 MiB
 * a message) is about 12 MiB as the base64 of an SSE event's JSON, and a little more than its
 * payload as a v1 websocket frame, and the lines after it arrive on the same connection.
 */
class LargeLinesNozzleTest {

    private static final int LARGE_PADDING = 9 * 1024 * 1024;

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void aNineMebibyteLine_andTheLinesAfterIt_reachTheNozzle_onOneConnection(Transport transport) throws Exception {
        Pipe pipe = e2e.pipe(1);
        TrafficControllerNode tc = e2e.trafficController(pipe, Map.of());
        AtomicInteger connects = new AtomicInteger();
        AtomicInteger disconnects = new AtomicInteger();
        HydrantClient client = e2e.keep(HydrantClient.builder()
                .baseUrl(tc.baseUrl())
                .transport(transport)
                .tokenProvider(TokenProvider.fixed(e2e.tokens().admin()))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void connected(String stream) {
                        connects.incrementAndGet();
                    }

                    @Override
                    public void disconnected(String stream, Throwable cause) {
                        disconnects.incrementAndGet();
                    }
                })
                .build());
        List<Envelope> received = new CopyOnWriteArrayList<>();
        Disposable reading = client.read(ReadRequest.source("app-large", Set.of(EnvelopeType.LOG)))
                .subscribe(received::add);
        try {
            await().atMost(PATIENCE).until(() -> connects.get() == 1 && pipe.dopplerMetric("subscriptions") >= 1);

            LogEmitter emitter = new LogEmitter(pipe.metronChannel());
            List<Envelope> sent = new ArrayList<>(emitter.send("app-large", "0", 1, 1, LARGE_PADDING));
            sent.addAll(emitter.send("app-large", "0", 10, 10, 0));

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(received)
                    .as(() -> TrafficControllerNode.ledger(pipe, 1, tc) + "; unreadable " + client.unreadable())
                    .hasSameSizeAs(sent));
            assertThat(received).extracting(LargeLinesNozzleTest::shortly)
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(LargeLinesNozzleTest::shortly).toList());
            assertThat(client.unreadable()).isZero();
            assertThat(disconnects).as("the stream broke").hasValue(0);
            assertThat(connects).hasValue(1);
        } finally {
            reading.dispose();
        }
    }

    /** A line as a failure message can show it: its length and how it starts. */
    private static String shortly(Envelope envelope) {
        String text = envelope.getLog().getPayload().toStringUtf8();
        return text.length() + ":" + text.substring(0, Math.min(40, text.length()));
    }
}
