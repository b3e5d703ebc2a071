package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConsumerKindTest {

    @Test
    void allMeansTheThreeKindsSideBySideAndAListNamesSome() {
        assertThat(ConsumerKind.parse("all")).containsExactly(ConsumerKind.DOPPLER, ConsumerKind.WEBSOCKET,
                ConsumerKind.SSE);
        assertThat(ConsumerKind.parse("sse, websocket")).containsExactly(ConsumerKind.WEBSOCKET, ConsumerKind.SSE);
        assertThat(ConsumerKind.parse("doppler")).containsExactly(ConsumerKind.DOPPLER);
    }

    @Test
    void noneMeansNoConsumerAtAll() {
        assertThat(ConsumerKind.parse("none")).isEmpty();
    }

    @Test
    void anUnknownKindIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> ConsumerKind.parse("kafka"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--consumer kafka");
    }

    @Test
    void trafficControllerConsumersOfARunningPipeNeedItsTrafficController() {
        assertThatThrownBy(() -> LoadHarness.runToJson("--doppler", "127.0.0.1:1", "--doppler-only", "--certs", "/tmp",
                "--consumer", "websocket"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--traffic-controller is required for websocket and sse consumers");
    }
}
