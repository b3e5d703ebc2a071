package dev.hydrant.metron.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CounterTotalsTest {

    @Test
    void totalsAreKeptPerSourceIdAndName() {
        CounterTotals totals = new CounterTotals(100, n -> { });

        assertThat(totals.apply("app-a", "requests", 2, 0)).isEqualTo(2);
        assertThat(totals.apply("app-b", "requests", 5, 0)).isEqualTo(5);
        assertThat(totals.apply("app-a", "requests", 3, 0)).isEqualTo(5);
        assertThat(totals.apply("app-a", "errors", 1, 0)).isEqualTo(1);
    }

    @Test
    void anEmittersOwnTotalWithoutDeltaIsKeptAndContinuedFrom() {
        CounterTotals totals = new CounterTotals(100, n -> { });
        totals.apply("app", "requests", 4, 0);

        assertThat(totals.apply("app", "requests", 0, 1_000)).isEqualTo(1_000);
        assertThat(totals.apply("app", "requests", 1, 0)).isEqualTo(1_001);
    }

    @Test
    void whenMoreCountersAreSeenThanKept_theMapIsResetAndTheResetIsCounted() {
        AtomicLong resets = new AtomicLong();
        CounterTotals totals = new CounterTotals(10, resets::addAndGet);

        for (int i = 0; i < 25; i++) {
            totals.apply("app", "counter-" + i, 1, 0);
        }

        assertThat(totals.size()).isLessThanOrEqualTo(10);
        assertThat(resets.get()).isEqualTo(2);
    }
}
