package dev.hydrant.metron.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.config.InvalidSettingException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A zone setting that cannot work stops start-up and is named. */
@ExtendWith(OutputCaptureExtension.class)
class ZoneSettingsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(Map.of("hydrant.metron.zone", "z1"), "hydrant.metron.zone"),
                Arguments.of(Map.of("hydrant.metron.zone", "z1", "hydrant.metron.zone-dopplers.z2", "127.0.0.1:8082"),
                        "hydrant.metron.zone"),
                Arguments.of(Map.of("hydrant.metron.zone", "z1", "hydrant.metron.zone-dopplers.z1", "doppler-without-port"),
                        "hydrant.metron.zone-dopplers.z1"),
                Arguments.of(Map.of("hydrant.metron.zone-dopplers.z2", "::1:8082"), "hydrant.metron.zone-dopplers.z2"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void aBadZoneSettingStopsStartUpNamingIt(Map<String, String> settings, String named, CapturedOutput output) {
        TestPki pki = new TestPki(dir);

        Throwable failure = catchThrowable(() -> RunningMetron.start(pki, settings).close());

        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidSettingException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("failure %s", failure).isInstanceOf(InvalidSettingException.class);
        assertThat(((InvalidSettingException) cause).setting()).isEqualTo(named);
        assertThat(output).contains("Invalid setting " + named);
    }
}
