package dev.hydrant.metron;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.batches;
import static dev.hydrant.testsupport.envelopes.Envelopes.logs;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.Emitter;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emitters never wait for Dopplers, and every envelope is either delivered or counted:
 * {@code ingress = egress + dropped(ingress) + dropped(egress) + buffered}.
 */
class LossAccountingTest {

    /** Streams per Doppler by default. */
    private static final int STREAMS = 2;

    @TempDir
    Path dir;

    @Test
    void withNoDopplerReachable_emittersAreNotBlocked_overflowIsCounted_andTheNewestArriveOnceADopplerAppears()
            throws Exception {
        TestPki pki = new TestPki(dir);
        // the Doppler's port, bound (so no one else takes it) but not listening: connections are refused
        Socket notListening = new Socket();
        notListening.setReuseAddress(true);
        notListening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int dopplerPort = notListening.getLocalPort();
        try (notListening;
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                "hydrant.metron.dopplers", "127.0.0.1:" + dopplerPort,
                "hydrant.metron.buffer-size", "1000"));
             Emitter emitter = metron.emitter()) {
            List<Envelope> sent = logs("app-flood", "line", 0, 25_000);

            CompletableFuture<Void> sending = emitter.batchSender(batches(sent, 1_000));

            sending.get(60, TimeUnit.SECONDS); // 25 times the buffer, and nobody to take it: still accepted
            assertThat(metron.ingress()).isEqualTo(25_000);
            assertThat(metron.dropped("ingress")).isEqualTo(24_000);
            assertThat(metron.bufferFill()).isEqualTo(1_000);
            assertThat(metron.egress()).isZero();

            notListening.close();
            try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, dopplerPort)) {
                await().atMost(WAIT).until(() -> doppler.from("app-flood").size() == 1_000);
                assertThat(doppler.from("app-flood")).extracting(e -> text(e))
                        .containsExactlyInAnyOrderElementsOf(sent.subList(24_000, 25_000).stream().map(e -> text(e)).toList());
                await().atMost(WAIT).until(() -> metron.egress() == 1_000);
                assertThat(metron.dropped("egress")).isZero();
            }
        }
    }

    @Test
    void whenTheDopplerBreaksStreams_whatWasNotConfirmedIsCountedAsDroppedEgress_andTheBooksBalance() throws Exception {
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", doppler.address(),
                     "hydrant.metron.stream-max-envelopes", "500"));
             Emitter emitter = metron.emitter()) {
            doppler.breakNextStreams(3);

            for (int start = 0; start < 5_000; start += 500) {
                emitter.batchSender(batches(logs("app-broken", "line", start, start + 500), 100)).get(30, TimeUnit.SECONDS);
            }

            await().atMost(WAIT).until(() -> doppler.brokenStreams() == 3
                    && metron.bufferFill() == 0
                    && metron.ingress() == metron.egress() + metron.dropped("ingress") + metron.dropped("egress"));
            assertThat(metron.ingress()).isEqualTo(5_000);
            assertThat(metron.dropped("egress")).isPositive();
            assertThat(metron.dropped("ingress")).isZero();
            // what the Doppler confirmed is exactly what it holds; metron carried on by itself after the breaks
            assertThat(doppler.count()).isEqualTo((int) metron.egress()).isPositive();
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == STREAMS);
        }
    }

    @Test
    void whenTheDopplerIsKilledUnderLoad_metronReconnectsByItself_andTheLossIsBoundedByWhatWasInFlightAndCounted()
            throws Exception {
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", doppler.address(),
                     "hydrant.metron.stream-max-envelopes", "1000"));
             Emitter emitter = metron.emitter()) {
            AtomicBoolean loading = new AtomicBoolean(true);
            CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> {
                int sent = 0;
                while (loading.get()) {
                    emitter.send(logs("app-load", "line", sent, sent + 100));
                    sent += 100;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                return sent;
            });
            await().atMost(WAIT).until(() -> doppler.count() >= 2_000);

            doppler.stop();
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == 0);
            doppler.restart();
            int beforeReturn = doppler.count();
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == STREAMS && doppler.count() >= beforeReturn + 2_000);
            loading.set(false);
            int sent = load.get(30, TimeUnit.SECONDS);

            await().atMost(WAIT).until(() -> metron.bufferFill() == 0
                    && metron.ingress() == metron.egress() + metron.dropped("ingress") + metron.dropped("egress"));
            assertThat(metron.ingress()).isEqualTo(sent);
            long lostOnTheWayOut = metron.dropped("egress");
            // per stream: at most the stream being written and one closed stream awaiting its confirmation
            assertThat(lostOnTheWayOut).isLessThanOrEqualTo(STREAMS * 2 * 1_000);
            // everything confirmed did arrive; what arrived beyond that was in flight and is counted as lost
            assertThat((long) doppler.count()).isBetween(metron.egress(), metron.egress() + lostOnTheWayOut);
        }
    }

    @Test
    void whenMetronStops_whatIsBufferedIsStillForwarded() throws Exception {
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0)) {
            RunningMetron metron = RunningMetron.start(pki, Map.of(
                    "hydrant.metron.dopplers", doppler.address(),
                    "hydrant.metron.batch-size", "1000",
                    // no batch leaves by time during the test, however slow the machine
                    "hydrant.metron.batch-interval", "10m",
                    "hydrant.metron.stream-max-age", "10m"));
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == STREAMS);
            try (Emitter emitter = metron.emitter()) {
                emitter.send(logs("app-last-words", "line", 0, 300));
            }
            assertThat(metron.bufferFill()).isEqualTo(300); // waiting for a fuller batch

            metron.close();

            assertThat(doppler.from("app-last-words")).hasSize(300);
        }
    }
}
