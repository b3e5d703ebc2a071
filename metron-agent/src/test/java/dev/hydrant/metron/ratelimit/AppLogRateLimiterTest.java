package dev.hydrant.metron.ratelimit;

import static dev.hydrant.testsupport.envelopes.Envelopes.gauge;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.metron.support.Encoded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;

/** The limiter on a clock the test moves: allowance, refill, notices once a second, a bounded map. */
class AppLogRateLimiterTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RateLimitMeters meters = RateLimitMeters.register(registry);
    private final Counter ingress = registry.counter("ingress");
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private AppLogRateLimiter limiter(long perSecond, LogRateLimit.Unit unit, int maxSources) {
        return new AppLogRateLimiter(new LogRateLimit(perSecond, unit), maxSources, meters, ingress, now::get,
                Clock.systemUTC());
    }

    @Test
    void aSecondsWorthPassesThenTheRestIsDroppedWithOneNoticeAndTheAllowanceRefillsOverTime() {
        AppLogRateLimiter limiter = limiter(10, LogRateLimit.Unit.LINES, 100);

        List<Envelope> admitted = admit(limiter, lines("app", "0", 25));
        assertThat(admitted.stream().filter(e -> e.getLog().getType() == Log.Type.OUT)).hasSize(10);
        assertThat(admitted.stream().filter(e -> e.getLog().getType() == Log.Type.ERR)).singleElement()
                .satisfies(notice -> assertThat(text(notice))
                        .isEqualTo("app instance exceeded log rate limit (10 log-lines/sec) set by platform operator"));
        assertThat(meters.dropped().count()).isEqualTo(15);
        assertThat(ingress.count()).isEqualTo(1);

        now.addAndGet(SECOND / 2); // half a second: five lines' worth, no second notice yet
        assertThat(admit(limiter, lines("app", "0", 10))).hasSize(5);
        now.addAndGet(SECOND / 2); // a second after the first notice: the next drop is told again
        assertThat(admit(limiter, lines("app", "0", 10))).hasSize(6);
        assertThat(meters.notices().count()).isEqualTo(2);
    }

    @Test
    void metricsAndOtherInstancesAreNotTouched() {
        AppLogRateLimiter limiter = limiter(1, LogRateLimit.Unit.LINES, 100);
        List<Envelope> batch = new ArrayList<>(lines("app", "0", 1));
        batch.add(gauge("app", "memory"));
        batch.addAll(lines("app", "1", 1));

        List<EncodedEnvelope> encoded = Encoded.of(batch);
        assertThat(limiter.admit(encoded)).isSameAs(encoded);
    }

    @Test
    void theByteLimitCountsPayloadBytes() {
        AppLogRateLimiter limiter = limiter(10, LogRateLimit.Unit.BYTES, 100);

        List<Envelope> admitted = admit(limiter, List.of(log("app", "12345"), log("app", "12345"), log("app", "1")));

        assertThat(admitted).extracting(e -> text(e))
                .containsExactly("12345", "12345", "app instance exceeded log rate limit (10 bytes/sec)");
    }

    @Test
    void theMapStaysWithinMaxSources_forgettingIdleInstancesAndClearingWhenAllAreActive() {
        AppLogRateLimiter limiter = limiter(10, LogRateLimit.Unit.LINES, 2);
        admit(limiter, lines("a", "0", 1));
        admit(limiter, lines("b", "0", 1));
        now.addAndGet(SECOND);
        admit(limiter, lines("b", "0", 1));

        admit(limiter, lines("c", "0", 1)); // "a" idle for a second: forgotten
        assertThat(limiter.sources()).isEqualTo(2);
        assertThat(meters.resets().count()).isZero();

        admit(limiter, lines("d", "0", 1)); // "b" and "c" active: cleared
        assertThat(limiter.sources()).isEqualTo(1);
        assertThat(meters.resets().count()).isEqualTo(1);
    }

    private static List<Envelope> admit(AppLogRateLimiter limiter, List<Envelope> batch) {
        return Encoded.parsed(limiter.admit(Encoded.of(batch)));
    }

    private static List<Envelope> lines(String sourceId, String instance, int n) {
        List<Envelope> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(log(sourceId, instance, Log.Type.OUT, "line-" + i, 1L));
        }
        return lines;
    }
}
