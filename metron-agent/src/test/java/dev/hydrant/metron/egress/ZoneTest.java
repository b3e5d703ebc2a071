package dev.hydrant.metron.egress;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.batches;
import static dev.hydrant.testsupport.envelopes.Envelopes.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.Emitter;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent with a zone sends everything to its zone's Doppler while that is reachable, falls back to
 * the other zone's when it is not, and returns when it is back.
 */
class ZoneTest {

    /** Streams per Doppler by default. */
    private static final int STREAMS = 2;
    private static final int ROUND = 500;

    @TempDir
    Path dir;

    @Test
    void trafficGoesToTheOwnZoneFallsBackToTheOtherWhileItIsDownAndReturns() throws Exception {
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler home = RecordingDoppler.start(pki.doppler, 0);
             RecordingDoppler away = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.zone", "z1",
                     "hydrant.metron.zone-dopplers.z1", home.address(),
                     "hydrant.metron.zone-dopplers.z2", away.address()));
             Emitter emitter = metron.emitter()) {
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == 2 * STREAMS);

            // both up: once the zone's Doppler is taking, a whole round goes there and nothing elsewhere
            assertThat(settlesOn(home, away, emitter, "start")).isTrue();
            send(emitter, "home", 0, 2_000);
            await().atMost(WAIT).until(() -> home.from("home").size() == 2_000);
            assertThat(away.from("home")).isEmpty();

            // the zone's Doppler dies: everything sent afterwards goes to the other zone
            home.stop();
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == STREAMS);
            send(emitter, "fallback", 0, 2_000);
            await().atMost(WAIT).until(() -> away.from("fallback").size() == 2_000);
            assertThat(home.from("fallback")).isEmpty();

            // it returns on the same port: the traffic returns to it
            home.restart();
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == 2 * STREAMS);
            assertThat(settlesOn(home, away, emitter, "return")).isTrue();
            send(emitter, "back", 0, 2_000);
            await().atMost(WAIT).until(() -> home.from("back").size() == 2_000);
            assertThat(away.from("back")).isEmpty();
            assertThat(metron.dropped("ingress")).isZero();
        }
    }

    /**
     * Sends rounds of {@code sourceId} until one arrives wholly at {@code to} (a worker of the other zone
     * may still be filling a batch it began before the zone became reachable); false after 20 rounds.
     */
    private static boolean settlesOn(RecordingDoppler to, RecordingDoppler other, Emitter emitter, String sourceId)
            throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = sourceId + "-" + round;
            send(emitter, id, 0, ROUND);
            await().atMost(WAIT).until(() -> to.from(id).size() + other.from(id).size() == ROUND);
            if (to.from(id).size() == ROUND) {
                return true;
            }
        }
        return false;
    }

    private static void send(Emitter emitter, String sourceId, int from, int to) throws Exception {
        for (int start = from; start < to; start += ROUND) {
            emitter.batchSender(batches(logs(sourceId, "line", start, Math.min(to, start + ROUND)), 100))
                    .get(10, TimeUnit.SECONDS);
        }
    }
}
