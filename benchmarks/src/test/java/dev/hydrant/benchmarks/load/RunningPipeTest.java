package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunningPipeTest {

    private static RunningPipe trafficController(URI uri, boolean allowRemote) {
        return new RunningPipe(null, null, uri, null, null, null, null, null, null, null,
                Path.of("token"), null, allowRemote);
    }

    @Test
    void anotherHostIsRefusedUnlessRemoteTargetsAreAllowed() {
        assertThatThrownBy(() -> trafficController(URI.create("http://192.0.2.1:8080"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--traffic-controller").hasMessageContaining("--allow-remote");

        assertThat(trafficController(URI.create("https://192.0.2.1:8080"), true).targetsAny()).isTrue();
    }

    @Test
    void aTrafficControllerNeedsAToken() {
        assertThatThrownBy(() -> new RunningPipe(null, null, URI.create("http://127.0.0.1:8080"), null, null, null,
                null, null, null, null, null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--token-file");
    }

    @Test
    void aPidThatIsNoProcessHereIsRefused() {
        assertThatThrownBy(() -> new RunningPipe(null, null, null, null, null, null, null, Long.MAX_VALUE, null,
                null, null, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--metron-pid");
    }
}
