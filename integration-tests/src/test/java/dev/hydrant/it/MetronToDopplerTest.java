package dev.hydrant.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Emitter -> Metron -> Doppler -> subscribers, every piece real, over mutual TLS on loopback. */
class MetronToDopplerTest {

    /** How long a test waits for what must happen; generous, for a loaded machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Pipe pipe;

    @AfterEach
    void stop() {
        if (pipe != null) {
            pipe.close();
        }
    }

    @Test
    void everythingSentAtTenThousandPerSecond_isReceived() throws Exception {
        // Metron's buffer and the subscriber's hold the whole run (Pipe.ROOM_FOR_THE_RUN): nothing can be
        // lost however slowly the machine drains them (loss under load is the load harness's to measure)
        pipe = Pipe.start(dir);
        Subscriber subscriber = Subscriber.logs(pipe.dopplerChannel(), "app-a", "");
        awaitSubscriptions(1);

        long sent = new Emitter(pipe.metronChannel(), "app-a").sendPaced(10_000, Duration.ofSeconds(3));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(subscriber.sequences)
                .as("received; metron ingress %s egress %s dropped %s, doppler ingress %s egress %s dropped %s",
                        pipe.metronMetric("ingress"), pipe.metronMetric("egress"), pipe.metronMetric("dropped"),
                        pipe.dopplerMetric("ingress"), pipe.dopplerMetric("egress"), pipe.dopplerMetric("dropped"))
                .hasSize((int) sent));
        assertThat(subscriber.envelopes).hasSize((int) sent);
        assertThat(subscriber.envelopes.get(0).getLog().getPayload().toStringUtf8()).startsWith("line ");
        assertThat(pipe.metronMetric("dropped")).isZero();
        assertThat(pipe.dopplerMetric("dropped")).isZero();
    }

    @Test
    void subscribersSharingAShardId_splitTheStream_andAnotherShardIdGetsEverything() throws Exception {
        // every buffer holds the whole run, so the counts below do not depend on the machine's speed
        pipe = Pipe.start(dir);
        ManagedChannel channel = pipe.dopplerChannel();
        Subscriber first = Subscriber.logs(channel, "", "group-1");
        Subscriber second = Subscriber.logs(channel, "", "group-1");
        Subscriber other = Subscriber.logs(channel, "", "group-2");
        awaitSubscriptions(3);

        long sent = new Emitter(pipe.metronChannel(), "app-b").sendPaced(5_000, Duration.ofSeconds(1));

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(other.sequences).hasSize((int) sent);
            assertThat(first.sequences.size() + second.sequences.size()).isEqualTo((int) sent);
        });
        Set<String> overlap = new HashSet<>(first.sequences);
        overlap.retainAll(second.sequences);
        assertThat(overlap).isEmpty();
        assertThat(first.sequences).isNotEmpty();
        assertThat(second.sequences).isNotEmpty();
        Set<String> union = new HashSet<>(first.sequences);
        union.addAll(second.sequences);
        assertThat(union).isEqualTo(other.sequences);
    }

    @Test
    void aSubscriberThatStopsReading_costsOnlyItself_andItsLossIsCounted() throws Exception {
        // The healthy subscriber is sent no more than its buffer holds, so it loses nothing however
        // slowly it is drained; the stalled one is also sent another source's logs, far more than its
        // buffer plus its transport window (fixed at 64 KiB here) can hold. Metron holds the whole run.
        int buffer = 5_000;
        pipe = Pipe.start(dir, Map.of("hydrant.doppler.subscriber-buffer-size", buffer), Map.of());
        Subscriber stalled = Subscriber.stalled(pipe.dopplerChannelWithWindow("stalled", 64 * 1024), "app-c", "app-noise");
        Subscriber healthy = Subscriber.logs(pipe.channel(pipe.dopplerPort, "doppler", pipe.clientFiles("healthy")), "app-c", "");
        awaitSubscriptions(2);

        long noise = new Emitter(pipe.metronChannel(), "app-noise").send(40_000);
        long sent = new Emitter(pipe.metronChannel(), "app-c").sendPaced(2_500, Duration.ofSeconds(2));
        assertThat(sent).isLessThanOrEqualTo(buffer);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(healthy.sequences)
                .as(TrafficControllerNode.ledger(pipe, 1)).hasSize((int) sent));
        // what the stalled one could not take was dropped in its own buffer, and counted: it holds at
        // most its buffer plus what its transport took (64 KiB of window, 256 KiB of write buffer:
        // a few thousand envelopes, allowed 20,000)
        long sentToStalled = noise + sent;
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pipe.dopplerMetric("dropped", "direction", "egress"))
                .isGreaterThanOrEqualTo(sentToStalled - buffer - 20_000));
        assertThat(stalled.envelopes).isEmpty();
        assertThat(stalled.error.get()).as("the stalled subscriber is still subscribed").isNull();
        assertThat(pipe.metronMetric("dropped")).isZero();
        assertThat(pipe.dopplerMetric("subscriber.buffer.fill")).isLessThanOrEqualTo(buffer);
        stalled.cancel();
    }

    @Test
    void dopplerRestartedUnderLoad_metronReconnects_andTheLossIsBoundedAndCounted() throws Exception {
        // what a dying Doppler took but never delivered is bounded by its subscriber's buffer
        pipe = Pipe.start(dir, Map.of("hydrant.doppler.subscriber-buffer-size", 1_000), Map.of());
        Subscriber before = Subscriber.logs(pipe.dopplerChannel(), "app-d", "");
        awaitSubscriptions(1);
        Emitter emitter = new Emitter(pipe.metronChannel(), "app-d");
        CompletableFuture<Long> load = CompletableFuture.supplyAsync(() -> {
            try {
                return emitter.sendPaced(5_000, Duration.ofSeconds(8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(PATIENCE).until(() -> before.sequences.size() > 5_000);

        MeterRegistry stopped = pipe.stopDoppler();
        pipe.startDoppler();
        Subscriber after = Subscriber.logs(pipe.dopplerChannel(), "app-d", "");
        awaitSubscriptions(1);

        long loaded = load.get(2, TimeUnit.MINUTES);
        await().atMost(PATIENCE).until(() -> pipe.metronMetric("buffer.fill") == 0);
        // Metron forwards to the new Doppler: what is sent now (fewer than the subscriber's buffer of
        // 1000 holds, so however slowly it is drained) arrives whole
        long sent = loaded + emitter.send(500);
        Set<String> lastOnes = new HashSet<>();
        for (long seq = loaded; seq < sent; seq++) {
            lastOnes.add("app-d/" + seq);
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(after.sequences).containsAll(lastOnes));

        // Every envelope sent either reached the first doppler's subscriber, was dropped and counted by
        // the first doppler (its subscriber's buffer), reached the new doppler, or was counted as dropped
        // by metron (which counts what no doppler confirmed, so it may count high). What is left
        // unaccounted is what the dying doppler had confirmed but not yet handed to its subscriber:
        // bounded by that subscriber's buffer.
        long firstDopplerDropped = (long) Pipe.sum(stopped, "dropped");
        long reachedNewDoppler = (long) pipe.dopplerMetric("ingress");
        long metronDropped = (long) pipe.metronMetric("dropped");
        long unaccounted = sent - before.sequences.size() - firstDopplerDropped - reachedNewDoppler - metronDropped;
        assertThat(unaccounted).as("sent %d, first doppler delivered %d and dropped %d, new doppler received %d,"
                        + " metron dropped %d", sent, before.sequences.size(), firstDopplerDropped, reachedNewDoppler,
                metronDropped).isLessThanOrEqualTo(1_000);
        assertThat(pipe.metronMetric("ingress")).isGreaterThanOrEqualTo(sent);
    }

    @Test
    void metronsOwnMetrics_travelThroughThePipe() {
        pipe = Pipe.start(dir, Map.of("hydrant.doppler.metrics-interval", "200ms"),
                Map.of("hydrant.metron.metrics-interval", "200ms"));
        Subscriber everything = Subscriber.withRequest(pipe.dopplerChannel(),
                org.cloudfoundry.loggregator.v2.EgressBatchRequest.newBuilder()
                        .addSelectors(org.cloudfoundry.loggregator.v2.Selector.newBuilder()
                                .setCounter(org.cloudfoundry.loggregator.v2.CounterSelector.getDefaultInstance()))
                        .build());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(everything.envelopes).anyMatch(e -> e.getSourceId().equals("metron") && e.getCounter().getName().equals("ingress"));
            assertThat(everything.envelopes).anyMatch(e -> e.getSourceId().equals("doppler") && e.getCounter().getName().equals("ingress"));
        });
    }

    @Test
    void clientsWithACertificateFromAnotherCa_areRefusedByMetronAndDoppler() {
        pipe = Pipe.start(dir);
        dev.hydrant.plumbing.tls.TlsFiles foreign = dev.hydrant.plumbing.tls.CertificateAuthority.create("another-ca")
                .issueFiles(dir.resolve("foreign"), "intruder");
        dev.hydrant.plumbing.tls.TlsFiles trustsUsButForeign = new dev.hydrant.plumbing.tls.TlsFiles(
                foreign.certFile(), foreign.keyFile(), pipe.clientFiles("ca-only").caFile());

        Emitter intruder = new Emitter(pipe.channel(pipe.metronPort, "metron", trustsUsButForeign), "evil");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> intruder.send(100))
                .satisfies(e -> assertThat(io.grpc.Status.fromThrowable(e).getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
        Subscriber eavesdropper = Subscriber.logs(pipe.channel(pipe.dopplerPort, "doppler", trustsUsButForeign), "", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> eavesdropper.error.get() != null);
        assertThat(eavesdropper.error.get().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        assertThat(pipe.metronMetric("ingress")).isZero();
    }

    private void awaitSubscriptions(int n) {
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= n);
    }
}
