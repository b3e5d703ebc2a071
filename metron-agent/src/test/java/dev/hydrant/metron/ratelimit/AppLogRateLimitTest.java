package dev.hydrant.metron.ratelimit;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.now;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.Emitter;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app instance over its log rate limit loses the excess, counted, and is told so in its own log;
 * its metrics, its other instances and the other apps on the same agent lose nothing.
 */
class AppLogRateLimitTest {

    private static final int LIMIT = 100;
    private static final String LINES_NOTICE =
            "app instance exceeded log rate limit (100 log-lines/sec) set by platform operator";

    @TempDir
    Path dir;

    @Test
    void aSourceOverItsLineLimitLosesTheExcessCountedAndIsToldWhileOthersLoseNothing() throws Exception {
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", doppler.address(),
                     "hydrant.metron.app-log-rate-limit.lines-per-second", String.valueOf(LIMIT)));
             Emitter emitter = metron.emitter()) {
            int noisyLines = 3_000;
            long started = System.nanoTime();
            for (int batch = 0; batch < noisyLines / 100; batch++) {
                List<Envelope> envelopes = new ArrayList<>();
                for (int i = batch * 100; i < (batch + 1) * 100; i++) {
                    envelopes.add(log("noisy", "0", Log.Type.OUT, "noisy-" + i, now()));
                }
                if (batch < 10) {
                    // metrics of the same source instance, sent while its logs are over the limit
                    for (int i = 0; i < 20; i++) {
                        envelopes.add(counter("noisy", "requests", 1));
                    }
                }
                emitter.send(envelopes);
            }
            double window = (System.nanoTime() - started) / 1e9;
            // under the limit: a fresh allowance holds a second's worth, whatever the timing
            List<Envelope> others = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                others.add(log("quiet", "0", Log.Type.OUT, "quiet-" + i, now()));
                others.add(log("noisy", "1", Log.Type.OUT, "other-instance-" + i, now()));
            }
            emitter.send(others);

            await().atMost(WAIT).until(() -> metron.ingress()
                    == metron.egress() + metron.dropped("rate_limit") && metron.bufferFill() == 0);

            List<Envelope> passed = doppler.from("noisy").stream().filter(lineOf("0", "noisy-")).toList();
            assertThat(passed).hasSizeGreaterThanOrEqualTo(LIMIT)
                    .hasSizeLessThanOrEqualTo((int) (LIMIT * (window + 1)));
            assertThat(metron.dropped("rate_limit")).isEqualTo(noisyLines - passed.size());
            assertThat(metron.dropped("ingress")).isZero();

            List<Envelope> notices = doppler.from("noisy").stream()
                    .filter(e -> e.hasLog() && text(e).equals(LINES_NOTICE)).toList();
            assertThat(notices).isNotEmpty().hasSizeLessThanOrEqualTo((int) window + 1)
                    .allSatisfy(notice -> {
                        assertThat(notice.getInstanceId()).isEqualTo("0");
                        assertThat(notice.getLog().getType()).isEqualTo(Log.Type.ERR);
                        assertThat(notice.getTagsMap()).containsEntry("source_type", "APP/PROC/WEB");
                    });
            assertThat((long) metron.registry().get("rate_limit.notices").counter().count()).isEqualTo(notices.size());

            assertThat(doppler.from("noisy").stream().filter(Envelope::hasCounter)).hasSize(10 * 20);
            assertThat(doppler.from("quiet").stream().filter(lineOf("0", "quiet-"))).hasSize(60);
            assertThat(doppler.from("noisy").stream().filter(lineOf("1", "other-instance-"))).hasSize(60);
        }
    }

    @Test
    void aSourceOverItsByteLimitIsToldTheLimitInBytes() throws Exception {
        TestPki pki = new TestPki(dir);
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0);
             RunningMetron metron = RunningMetron.start(pki, Map.of(
                     "hydrant.metron.dopplers", doppler.address(),
                     "hydrant.metron.app-log-rate-limit.bytes-per-second", "1000"));
             Emitter emitter = metron.emitter()) {
            String hundredBytes = "x".repeat(96);
            List<Envelope> envelopes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                envelopes.add(log("chatty", "0", Log.Type.OUT, hundredBytes + String.format("%04d", i), now()));
            }
            emitter.sender(envelopes).get();

            await().atMost(WAIT).until(() -> doppler.from("chatty").stream()
                    .anyMatch(e -> text(e).equals("app instance exceeded log rate limit (1000 bytes/sec)")));
            await().atMost(WAIT).until(() -> metron.ingress() == metron.egress() + metron.dropped("rate_limit"));
            long passed = doppler.from("chatty").stream().filter(lineOf("0", hundredBytes)).count();
            assertThat(passed).isGreaterThanOrEqualTo(10);
            assertThat(metron.dropped("rate_limit")).isEqualTo(50 - passed);
        }
    }

    private static Predicate<Envelope> lineOf(String instance, String prefix) {
        return e -> e.hasLog() && e.getInstanceId().equals(instance) && e.getLog().getType() == Log.Type.OUT
                && text(e).startsWith(prefix);
    }
}
