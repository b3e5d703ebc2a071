package dev.hydrant.it.nozzle;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.Pipe;
import dev.hydrant.it.trafficcontroller.EndToEnd;
import dev.hydrant.it.trafficcontroller.LogEmitter;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.autoconfigure.NozzleHealthIndicator;
import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import dev.hydrant.nozzle.client.Transport;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Nozzles built on the SDK reading the real Traffic Controller, fed by an emitter through Metron and the
 * Dopplers: the nozzle of {@link LogFileNozzle} gets exactly what was sent, and a nozzle whose sink is slow
 * keeps its connection while what it cannot write is dropped and counted.
 */
class NozzleEndToEndTest {

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    /** How {@link LogFileNozzle} writes a line the emitter sent. */
    static String fileLine(Envelope sent) {
        return sent.getSourceId() + "/" + sent.getInstanceId() + " " + sent.getTimestamp() + " "
                + sent.getLog().getPayload().toStringUtf8();
    }

    static List<String> linesOf(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void aNozzleOfUnderFiftyLines_writesExactlyWhatTheEmitterSent() throws Exception {
        assertThat(Files.readAllLines(Path.of("src/test/java/dev/hydrant/it/nozzle/LogFileNozzle.java")))
                .as("lines of the nozzle's source").hasSizeLessThan(50);
        Pipe pipe = e2e.pipe(2);
        TrafficControllerNode tc = e2e.trafficController(pipe, Map.of());
        Path file = e2e.dir().resolve("nozzle.log");
        ConfigurableApplicationContext nozzle = e2e.keep(LogFileNozzle.run(
                "--hydrant.nozzle.url=" + tc.baseUrl(),
                "--hydrant.nozzle.token=" + e2e.tokens().admin(),
                "--hydrant.nozzle.subscription-id=it-log-file-nozzle",
                "--nozzle.file=" + file));
        // fanned in from both Dopplers
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= 2);

        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        List<Envelope> sent = new ArrayList<>(emitter.send("app-a", "0", 600, 100, 0));
        sent.addAll(emitter.send("app-b", "1", 400, 50, 0));
        sent.addAll(emitter.send("app-a", "2", 300, 10, 0));

        Supplier<String> ledger = () -> TrafficControllerNode.ledger(pipe, 2, tc);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(linesOf(file)).as(ledger).hasSize(sent.size()));
        assertThat(linesOf(file)).containsExactlyInAnyOrderElementsOf(sent.stream().map(NozzleEndToEndTest::fileLine).toList());
        MeterRegistry metrics = nozzle.getBean(MeterRegistry.class);
        assertThat(metrics.get("nozzle.received").functionCounter().count()).isEqualTo(sent.size());
        assertThat(metrics.get("nozzle.written").functionCounter().count()).isEqualTo(sent.size());
        assertThat(nozzle.getBean(NozzleHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aNozzleWithASlowSink_keepsItsConnection_andCountsWhatItCouldNotWrite() throws Exception {
        Pipe pipe = e2e.pipe(1);
        // a consumer stalled for 3 s is cut: the sink below stays behind for about 20 s (a margin over
        // the timeout that a busy machine's pauses in reading do not reach)
        TrafficControllerNode tc = e2e.trafficController(pipe,
                Map.of("hydrant.traffic-controller.slow-consumer-timeout", "3s"));
        AtomicInteger disconnects = new AtomicInteger();
        HydrantClient client = e2e.keep(HydrantClient.builder()
                .baseUrl(tc.baseUrl())
                .transport(Transport.WEBSOCKET)
                .tokenProvider(TokenProvider.fixed(e2e.tokens().admin()))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void connected(String stream) {
                    }

                    @Override
                    public void disconnected(String stream, Throwable cause) {
                        disconnects.incrementAndGet();
                    }
                })
                .build());
        // writes 100 envelopes in a quarter of a second: 400 a second, a fifth of what the app logs
        AtomicReference<Envelope> lastWritten = new AtomicReference<>();
        MeterRegistry metrics = new SimpleMeterRegistry();
        NozzleRuntime nozzle = e2e.keep(NozzleRuntime.builder(batch -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
                    lastWritten.set(batch.get(batch.size() - 1));
                })
                .name("slow").batchSize(100).bufferSize(1_000).meterRegistry(metrics).build()
                .start(client.readBatches(ReadRequest.firehose("it-slow-nozzle", Set.of(EnvelopeType.LOG)))));
        await().atMost(PATIENCE).until(() -> tc.metric("doppler_proxy.firehoses") == 1
                && pipe.dopplerMetric("subscriptions") >= 1);

        // 2,000 lines a second for five seconds
        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        List<Envelope> sent = emitter.send("app-busy", "0", 10_000, 100, 256);

        Supplier<String> ledger = () -> TrafficControllerNode.ledger(pipe, 1, tc) + "; nozzle " + nozzle.health();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(count(metrics, "nozzle.received")).as(ledger)
                .isEqualTo(sent.size()));
        // the newest line is never the one dropped (the websocket carries v1: compare what a reader sees)
        String newest = sent.get(sent.size() - 1).getLog().getPayload().toStringUtf8();
        await().atMost(PATIENCE).until(() -> nozzle.health().buffered() == 0 && lastWritten.get() != null
                && lastWritten.get().getLog().getPayload().toStringUtf8().equals(newest));
        // once the sink is idle: received = written + dropped
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(count(metrics, "nozzle.written")
                + count(metrics, "nozzle.dropped", "reason", "buffer")).as(ledger).isEqualTo(sent.size()));
        double written = count(metrics, "nozzle.written");
        double dropped = count(metrics, "nozzle.dropped", "reason", "buffer");
        assertThat(dropped).as("envelopes pushed out of the nozzle's full buffer").isPositive();
        assertThat(written).as("envelopes the sink wrote").isPositive();
        assertThat(count(metrics, "nozzle.dropped")).isEqualTo(dropped);

        // the Traffic Controller never saw a slow consumer: the firehose stayed open throughout
        assertThat(tc.metric("doppler_proxy.slow_consumer")).isZero();
        assertThat(tc.metric("doppler_proxy.firehoses")).isEqualTo(1);
        assertThat(tc.metric("dropped", "direction", "egress")).isZero();
        assertThat(disconnects).hasValue(0);
    }

    private static double count(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
    }
}
