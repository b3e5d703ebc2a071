package dev.hydrant.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Emitter -> Metron -> Doppler -> subscribers, every piece real, over mutual TLS on loopback. */
class MetronToDopplerTest {

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
        pipe = Pipe.start(dir);
        Subscriber subscriber = Subscriber.logs(pipe.dopplerChannel(), "app-a", "");
        awaitSubscriptions(1);

        long sent = new Emitter(pipe.metronChannel(), "app-a").sendPaced(10_000, Duration.ofSeconds(3));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(subscriber.sequences)
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
        pipe = Pipe.start(dir);
        ManagedChannel channel = pipe.dopplerChannel();
        Subscriber first = Subscriber.logs(channel, "", "group-1");
        Subscriber second = Subscriber.logs(channel, "", "group-1");
        Subscriber other = Subscriber.logs(channel, "", "group-2");
        awaitSubscriptions(3);

        long sent = new Emitter(pipe.metronChannel(), "app-b").sendPaced(5_000, Duration.ofSeconds(1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
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
        pipe = Pipe.start(dir, Map.of("hydrant.doppler.subscriber-buffer-size", 1000), Map.of());
        ManagedChannel channel = pipe.dopplerChannel();
        Subscriber stalled = Subscriber.stalled(channel, "app-c");
        Subscriber healthy = Subscriber.logs(pipe.channel(pipe.dopplerPort, "doppler", pipe.clientFiles("healthy")), "app-c", "");
        awaitSubscriptions(2);

        long sent = new Emitter(pipe.metronChannel(), "app-c").sendPaced(10_000, Duration.ofSeconds(4));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(healthy.sequences).hasSize((int) sent));
        // what the stalled one could not take was dropped in its own buffer, and counted
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(pipe.dopplerMetric("dropped", "direction", "egress")).isGreaterThan(0));
        double dropped = pipe.dopplerMetric("dropped", "direction", "egress");
        assertThat(stalled.envelopes).isEmpty();
        // the stalled subscriber holds at most its buffer plus what the transport window took
        assertThat(dropped).isGreaterThanOrEqualTo(sent - 1000 - 30_000);
        assertThat(pipe.dopplerMetric("subscriber.buffer.fill")).isLessThanOrEqualTo(1000);
        stalled.cancel();
    }

    @Test
    void dopplerRestartedUnderLoad_metronReconnects_andTheLossIsBoundedAndCounted() throws Exception {
        pipe = Pipe.start(dir);
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
        await().atMost(Duration.ofSeconds(10)).until(() -> before.sequences.size() > 5_000);

        pipe.stopDoppler();
        pipe.startDoppler();
        Subscriber after = Subscriber.logs(pipe.dopplerChannel(), "app-d", "");
        awaitSubscriptions(1);

        long sent = load.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> pipe.metronMetric("buffer.fill") == 0);
        assertThat(after.sequences.size()).as("envelopes after the restart").isGreaterThan(1_000);

        // Every envelope sent either reached the first doppler's subscriber, reached the new doppler,
        // or was counted as dropped by metron (which counts what no doppler confirmed, so it may count
        // high). What is left unaccounted is what the dying doppler had confirmed but not yet handed to
        // its subscriber: bounded by that subscriber's buffer.
        long reachedNewDoppler = (long) pipe.dopplerMetric("ingress");
        long metronDropped = (long) pipe.metronMetric("dropped");
        long unaccounted = sent - before.sequences.size() - reachedNewDoppler - metronDropped;
        assertThat(unaccounted).as("sent %d, first doppler delivered %d, new doppler received %d, metron dropped %d",
                sent, before.sequences.size(), reachedNewDoppler, metronDropped).isLessThanOrEqualTo(1_000);
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
        await().atMost(Duration.ofSeconds(10)).until(() -> pipe.dopplerMetric("subscriptions") >= n);
    }
}
