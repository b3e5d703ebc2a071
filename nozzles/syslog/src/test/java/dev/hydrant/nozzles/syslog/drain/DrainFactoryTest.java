package dev.hydrant.nozzles.syslog.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.Patience;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrainFactoryTest {

    private final DrainSettings settings = new DrainSettings(1, 1, Duration.ofMillis(10), Duration.ofMillis(100),
            Duration.ofSeconds(1), new AddressPolicy(AddressPolicy.DEFAULT_BLOCKED, List.of()));

    @Test
    void aBindingThatCannotWork_stillGetsAWriter_whoseLossIsCounted() {
        DrainCounters counters = new DrainMetrics(new SimpleMeterRegistry(), 10).bind("bad");
        Binding bad = new Binding("bad", "app-1", "syslog://user:secret@bad host:1/", DrainType.LOGS, false,
                null, null, null);
        try (DrainWriter writer = new DrainFactory(settings).start(bad, counters)) {
            for (int i = 0; i < 3; i++) {
                writer.offer(("m" + i).getBytes(StandardCharsets.US_ASCII));
            }
            await().atMost(Patience.WAIT).until(() -> counters.dropped().count() == 2);
            assertThat(writer.takeLost()).isEqualTo(2);
            assertThat(counters.written().count()).isZero();
        }
        assertThat(bad.toString()).doesNotContain("secret");
    }
}
