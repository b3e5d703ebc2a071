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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metron spreads over the Dopplers it is given, leaves a dead one and comes back to it by itself. */
class DopplerPoolTest {

    /** Streams per Doppler by default. */
    private static final int STREAMS = 2;

    @TempDir
    Path dir;

    @Test
    void loadIsSpreadOverTwoDopplersAndADeadOneIsLeftAndUsedAgainWhenItReturns() throws Exception {
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler first = RecordingDoppler.start(pki.doppler, 0);
             RecordingDoppler second = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", first.address() + "," + second.address()));
             Emitter emitter = metron.emitter()) {
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == 2 * STREAMS);

            // both Dopplers take part while both are up
            sendInRounds(emitter, "spread", 0, 4_000);
            await().atMost(WAIT).until(() -> delivered(first, second, "spread") == 4_000);
            assertThat(first.from("spread")).hasSizeGreaterThan(4_000 / 5);
            assertThat(second.from("spread")).hasSizeGreaterThan(4_000 / 5);

            // one Doppler dies: everything sent afterwards goes to the other
            first.stop();
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == STREAMS);
            sendInRounds(emitter, "failover", 0, 2_000);
            await().atMost(WAIT).until(() -> second.from("failover").size() == 2_000);
            assertThat(payloads(second.from("failover"))).hasSize(2_000);

            // it returns on the same port: metron uses it again without being told
            first.restart();
            await().atMost(WAIT).until(() -> metron.dopplerConnections() == 2 * STREAMS);
            int round = 0;
            while (first.from("return").isEmpty() && round < 20) {
                sendInRounds(emitter, "return", round * 500, (round + 1) * 500);
                round++;
                int sent = round * 500;
                await().atMost(WAIT).until(() -> delivered(first, second, "return") == sent);
            }
            assertThat(first.from("return")).isNotEmpty();
            assertThat(metron.dropped("ingress")).isZero();
        }
    }

    private static void sendInRounds(Emitter emitter, String sourceId, int from, int to) throws Exception {
        for (int start = from; start < to; start += 500) {
            List<Envelope> round = logs(sourceId, "line", start, Math.min(to, start + 500));
            emitter.batchSender(batches(round, 100)).get(10, TimeUnit.SECONDS);
        }
    }

    private static int delivered(RecordingDoppler first, RecordingDoppler second, String sourceId) {
        return payloads(Stream.concat(first.from(sourceId).stream(), second.from(sourceId).stream()).toList()).size();
    }

    private static Set<String> payloads(List<Envelope> envelopes) {
        return envelopes.stream().map(e -> text(e)).collect(Collectors.toSet());
    }
}
