package dev.hydrant.metron.scrape;

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

/** A scrape setting that cannot work stops start-up and is named. */
@ExtendWith(OutputCaptureExtension.class)
class ScrapeSettingsTest {

    private static final String T = "hydrant.metron.scrape.targets[0].";

    @TempDir
    Path dir;

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(Map.of(T + "url", "ftp://127.0.0.1/metrics", T + "source-id", "x"), T + "url"),
                Arguments.of(Map.of(T + "url", "http://127.0.0.1:9100/metrics"), T + "source-id"),
                Arguments.of(Map.of(T + "url", "http://127.0.0.1:9100/metrics", T + "source-id", "x",
                        T + "interval", "0s"), T + "interval"),
                Arguments.of(Map.of(T + "url", "http://127.0.0.1:9100/metrics", T + "source-id", "x",
                        T + "tls.server-name", "node"), T + "tls"),
                Arguments.of(Map.of(T + "url", "https://127.0.0.1:9100/metrics", T + "source-id", "x",
                        T + "tls.ca-file", "/nonexistent/ca.crt"), T + "tls.ca-file"),
                Arguments.of(Map.of(T + "url", "https://127.0.0.1:9100/metrics", T + "source-id", "x",
                        T + "tls.cert-file", "/nonexistent/client.crt"), T + "tls.key-file"),
                Arguments.of(Map.of(T + "url", "http://127.0.0.1:9100/metrics", T + "source-id", "x",
                        T + "bearer-token-file", "/nonexistent/token"), T + "bearer-token-file"),
                Arguments.of(Map.of("hydrant.metron.scrape.threads", "0"), "hydrant.metron.scrape.threads"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void aBadScrapeSettingStopsStartUpNamingIt(Map<String, String> settings, String named, CapturedOutput output) {
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
