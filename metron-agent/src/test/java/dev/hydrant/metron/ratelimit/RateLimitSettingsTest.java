package dev.hydrant.metron.ratelimit;

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

/** A log rate limit setting that cannot work stops start-up and is named. */
@ExtendWith(OutputCaptureExtension.class)
class RateLimitSettingsTest {

    private static final String P = "hydrant.metron.app-log-rate-limit.";

    @TempDir
    Path dir;

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(Map.of(P + "lines-per-second", "0"), P + "lines-per-second"),
                Arguments.of(Map.of(P + "lines-per-second", "-5"), P + "lines-per-second"),
                Arguments.of(Map.of(P + "bytes-per-second", "0KB"), P + "bytes-per-second"),
                Arguments.of(Map.of(P + "lines-per-second", "100", P + "bytes-per-second", "64KB"),
                        P + "bytes-per-second"),
                Arguments.of(Map.of(P + "lines-per-second", "100", P + "max-sources", "0"), P + "max-sources"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void aBadRateLimitSettingStopsStartUpNamingIt(Map<String, String> settings, String named, CapturedOutput output) {
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
