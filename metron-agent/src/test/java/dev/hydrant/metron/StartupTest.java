package dev.hydrant.metron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.config.InvalidSettingException;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A setting that cannot work stops start-up and is named. */
@ExtendWith(OutputCaptureExtension.class)
class StartupTest {

    @TempDir
    Path dir;

    @Test
    void missingKeyFileStopsStartUpNamingTheSetting(CapturedOutput output) {
        TestPki pki = new TestPki(dir);

        Throwable failure = catchThrowable(() -> RunningMetron.start(pki, Map.of(
                "hydrant.metron.tls.key-file", dir.resolve("missing.key").toString())).close());

        assertThat(failure).isNotNull();
        assertThat(rootSetting(failure)).isEqualTo("hydrant.metron.tls.key-file");
        assertThat(output).contains("Invalid setting hydrant.metron.tls.key-file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"doppler.internal", "::1:8082"})
    void aDopplerEntryWithoutPortOrWithAnUnbracketedIpv6AddressStopsStartUpNamingTheSetting(String entry,
                                                                                          CapturedOutput output) {
        TestPki pki = new TestPki(dir);

        Throwable failure = catchThrowable(() -> RunningMetron.start(pki, Map.of(
                "hydrant.metron.dopplers", entry)).close());

        assertThat(rootSetting(failure)).isEqualTo("hydrant.metron.dopplers");
        assertThat(output).contains("Invalid setting hydrant.metron.dopplers", "'" + entry + "'");
    }

    @Test
    void aNegativeShutdownGraceStopsStartUpNamingTheSetting() {
        TestPki pki = new TestPki(dir);

        Throwable failure = catchThrowable(() -> RunningMetron.start(pki, Map.of(
                "hydrant.metron.shutdown-grace", "-1s")).close());

        assertThat(failure).isNotNull().hasStackTraceContaining("shutdownGrace");
    }

    @Test
    void aBufferBytesSmallerThanABatchStopsStartUpNamingTheSetting() {
        TestPki pki = new TestPki(dir);

        Throwable failure = catchThrowable(() -> RunningMetron.start(pki, Map.of(
                "hydrant.metron.buffer-bytes", "512KB")).close());

        assertThat(rootSetting(failure)).isEqualTo("hydrant.metron.buffer-bytes");
    }

    private static String rootSetting(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidSettingException)) {
            cause = cause.getCause();
        }
        assertThat(cause).asInstanceOf(InstanceOfAssertFactories.type(InvalidSettingException.class)).isNotNull();
        return ((InvalidSettingException) cause).setting();
    }
}
