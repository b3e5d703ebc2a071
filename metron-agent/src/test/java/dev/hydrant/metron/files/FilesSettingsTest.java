package dev.hydrant.metron.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.config.InvalidSettingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A file input that cannot work stops start-up and its setting is named. */
@ExtendWith(OutputCaptureExtension.class)
class FilesSettingsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "path; relative/*.log; hydrant.metron.files.inputs[0].path",
            "source-id; ''; hydrant.metron.files.inputs[0].source-id",
            "source-type; APP/{container}; hydrant.metron.files.inputs[0].source-type",
            "instance-id; {nope}; hydrant.metron.files.inputs[0].instance-id"})
    void aWrongInputStopsStartUpNamingItsSetting(String key, String value, String setting, CapturedOutput output) {
        Map<String, String> settings = input();
        settings.put("hydrant.metron.files.inputs[0]." + key, value);

        Throwable failure = catchThrowable(() -> RunningMetron.start(new TestPki(dir), settings).close());

        assertThat(rootSetting(failure)).isEqualTo(setting);
        assertThat(output).contains("Invalid setting " + setting);
    }

    @Test
    void inputsWithoutACheckpointDirectoryStopStartUpNamingIt(CapturedOutput output) {
        Map<String, String> settings = input();
        settings.remove("hydrant.metron.files.checkpoint-dir");

        Throwable failure = catchThrowable(() -> RunningMetron.start(new TestPki(dir), settings).close());

        assertThat(rootSetting(failure)).isEqualTo("hydrant.metron.files.checkpoint-dir");
        assertThat(output).contains("Invalid setting hydrant.metron.files.checkpoint-dir");
    }

    @Test
    void anUnknownFormatStopsStartUpNamingIt(CapturedOutput output) {
        Map<String, String> settings = input();
        settings.put("hydrant.metron.files.inputs[0].format", "syslog");

        Throwable failure = catchThrowable(() -> RunningMetron.start(new TestPki(dir), settings).close());

        assertThat(failure).isNotNull();
        assertThat(output).contains("hydrant.metron.files.inputs[0].format");
    }

    private Map<String, String> input() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hydrant.metron.files.checkpoint-dir", dir.resolve("positions").toString());
        settings.put("hydrant.metron.files.inputs[0].path", dir.resolve("*.log").toString());
        settings.put("hydrant.metron.files.inputs[0].source-id", "app");
        return settings;
    }

    private static String rootSetting(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidSettingException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("an InvalidSettingException in %s", failure).isNotNull();
        return ((InvalidSettingException) cause).setting();
    }
}
