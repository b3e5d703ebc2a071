package dev.hydrant.nozzle.runtime;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

class NozzleRuntimeTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<List<Envelope>> written = new CopyOnWriteArrayList<>();

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private static List<Envelope> logs(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> log("app", "line " + i)).toList();
    }

    @Test
    void batchesBySize_andWritesTheRestAfterTheInterval() {
        Sinks.Many<List<Envelope>> source = Sinks.many().unicast().onBackpressureBuffer();
        NozzleRuntime runtime = NozzleRuntime.builder(written::add).batchSize(10).batchInterval(Duration.ofMillis(200))
                .meterRegistry(registry).build().start(source.asFlux());

        source.tryEmitNext(logs(25));

        await().untilAsserted(() -> assertThat(written).extracting(List::size).containsExactly(10, 10, 5));
        assertThat(count("nozzle.received")).isEqualTo(25);
        assertThat(count("nozzle.written")).isEqualTo(25);
        runtime.close();
    }

    @Test
    void aFailingSinkIsRetriedWithBackoff_andWhatNeverGetsWrittenIsCounted() {
        AtomicInteger calls = new AtomicInteger();
        NozzleSink flaky = batch -> {
            if (calls.incrementAndGet() <= 2) {
                throw new java.io.IOException("sink unreachable");
            }
            written.add(batch);
        };
        NozzleRuntime runtime = NozzleRuntime.builder(flaky).batchSize(5).retry(3, Duration.ofMillis(10), Duration.ofMillis(50))
                .meterRegistry(registry).build().startEnvelopes(Flux.fromIterable(logs(5)));
        await().untilAsserted(() -> assertThat(written).hasSize(1));
        assertThat(count("nozzle.sink.errors")).isEqualTo(2);
        assertThat(runtime.health().sinkHealthy()).isTrue();
        runtime.close();

        NozzleRuntime broken = NozzleRuntime.builder(batch -> {
                    throw new IllegalStateException("disk full");
                }).name("broken").batchSize(5).retry(2, Duration.ofMillis(10), Duration.ofMillis(20))
                .meterRegistry(registry).build().startEnvelopes(Flux.fromIterable(logs(5)));
        await().untilAsserted(() -> assertThat(count("nozzle.dropped", "nozzle", "broken", "reason", "sink")).isEqualTo(5));
        assertThat(broken.health().up()).isFalse();
        assertThat(broken.health().lastSinkError()).isEqualTo("IllegalStateException: disk full");
        broken.close();
    }

    @Test
    void closeFlushesWhatIsBuffered() {
        NozzleRuntime runtime = NozzleRuntime.builder(written::add).batchSize(1000).batchInterval(Duration.ofMinutes(10))
                .meterRegistry(registry).build().start(Flux.just(logs(300)).concatWith(Flux.never()));
        await().until(() -> runtime.health().received() == 300);
        assertThat(written).isEmpty();

        runtime.close();

        assertThat(written).flatMap(batch -> batch).hasSize(300);
        assertThat(runtime.dropped()).isZero();
        assertThat(runtime.health().running()).isFalse();
    }

    @Test
    void whenTheSinkIsSlow_theNozzleKeepsItsConnectionAndCountsWhatItDrops() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        NozzleSink slow = batch -> {
            release.await(30, TimeUnit.SECONDS);
            written.add(batch);
        };
        try (FakeTrafficController server = new FakeTrafficController().start()) {
            HydrantClient client = HydrantClient.builder().baseUrl(server.baseUrl()).build();
            NozzleRuntime runtime = NozzleRuntime.builder(slow).bufferSize(200).batchSize(50)
                    .meterRegistry(registry).build()
                    .start(client.readBatches(ReadRequest.firehose("slow", EnvelopeType.all())));
            await().until(() -> server.subscribers() == 1);

            for (int i = 0; i < 20; i++) {
                server.publish(logs(100).toArray(Envelope[]::new));
            }

            await().untilAsserted(() -> assertThat(count("nozzle.received")).isEqualTo(2000));
            assertThat(count("nozzle.dropped", "reason", "buffer")).isEqualTo(2000 - 200 - 50);
            assertThat(server.streamsOpened()).isEqualTo(1);
            assertThat(server.subscribers()).isEqualTo(1);

            release.countDown();
            runtime.close();
            NozzleHealth health = runtime.health();
            assertThat(health.written() + health.dropped()).isEqualTo(health.received());
            assertThat(health.written()).isEqualTo(250);
        }
    }
}
