package dev.hydrant.metron.files;

import static dev.hydrant.testsupport.Patience.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At {@code max-files} a further file is not tailed: it is counted once as {@code files.skipped} however often
 * the globs find it, and tailed from its start once a tailed file is released.
 */
class MaxFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFileBeyondMaxFiles_isCountedOnce_andTailedWhenATailedFileIsReleased() throws Exception {
        TestPki pki = new TestPki(dir);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hydrant.metron.udp-enabled", "false");
        settings.put("hydrant.metron.files.max-files", "2");
        settings.put("hydrant.metron.files.poll-interval", "100ms");
        settings.put("hydrant.metron.files.idle-timeout", "500ms");
        settings.put("hydrant.metron.files.checkpoint-dir", dir.resolve("positions").toString());
        settings.put("hydrant.metron.files.inputs[0].path", logs + "/*.log");
        settings.put("hydrant.metron.files.inputs[0].source-id", "{file}");
        try (RecordingDoppler doppler = RecordingDoppler.start(pki.doppler, 0)) {
            settings.put("hydrant.metron.dopplers", doppler.address());
            try (RunningMetron metron = RunningMetron.start(pki, settings)) {
                FileFormatsTest.append(logs.resolve("a.log"), "a\n");
                await().atMost(WAIT).until(() -> doppler.from("a").size() == 1);
                FileFormatsTest.append(logs.resolve("b.log"), "b\n");
                await().atMost(WAIT).until(() -> doppler.from("b").size() == 1);
                FileFormatsTest.append(logs.resolve("c.log"), "c before\n");

                await().atMost(WAIT).until(() -> skipped(metron) == 1);
                // many evaluations of the globs find it again: still counted once, still not read
                await().during(Duration.ofSeconds(1)).atMost(WAIT)
                        .until(() -> skipped(metron) == 1 && doppler.from("c").isEmpty() && watched(metron) == 2);

                FileFormatsTest.append(logs.resolve("c.log"), "c waiting\n");
                Files.delete(logs.resolve("a.log")); // read to its end, released once quiet: room for c
                await().atMost(WAIT).until(() -> doppler.from("c").size() == 2);

                assertThat(doppler.from("c").stream().map(FileFormatsTest::text)).containsExactly("c before", "c waiting");
                assertThat(skipped(metron)).isEqualTo(1);
                assertThat(watched(metron)).isEqualTo(2);
                assertThat(doppler.from("a")).hasSize(1);
                assertThat(doppler.from("b")).hasSize(1);
            }
        }
    }

    private static double skipped(RunningMetron metron) {
        return metron.registry().get("files.skipped").counter().count();
    }

    private static double watched(RunningMetron metron) {
        return metron.registry().get("files.watched").gauge().value();
    }
}
