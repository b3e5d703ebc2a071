package dev.hydrant.metron.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.config.InvalidSettingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A container-metrics setting that cannot work stops start-up and is named. */
@ExtendWith(OutputCaptureExtension.class)
class ContainerMetricsSettingsTest {

    private static final String C = "hydrant.metron.container-metrics.cgroups[0].";

    @TempDir
    Path dir;

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(Map.of(C + "path", "/"), C + "source-id"),
                Arguments.of(Map.of(C + "source-id", "app"), C + "path"),
                Arguments.of(Map.of(C + "path", "/no-such-cgroup-here", C + "source-id", "app"), C + "path"),
                Arguments.of(Map.of(C + "path", "/", C + "source-id", "app", C + "disk-path", "/no/such/dir"),
                        C + "disk-path"),
                Arguments.of(Map.of("hydrant.metron.container-metrics.interval", "0s"),
                        "hydrant.metron.container-metrics.interval"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void aBadContainerMetricsSettingStopsStartUpNamingIt(Map<String, String> settings, String named,
                                                         CapturedOutput output) {
        TestPki pki = new TestPki(dir);

        Throwable failure = catchThrowable(() -> RunningMetron.start(pki, new LinkedHashMap<>(settings)).close());

        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidSettingException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("failure %s", failure).isInstanceOf(InvalidSettingException.class);
        assertThat(((InvalidSettingException) cause).setting()).isEqualTo(named);
        assertThat(output).contains("Invalid setting " + named);
    }
}
