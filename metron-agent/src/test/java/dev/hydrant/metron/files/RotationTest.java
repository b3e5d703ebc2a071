package dev.hydrant.metron.files;

import static dev.hydrant.testsupport.Patience.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files rotated under the agent, by rename or by copy-truncate, deliver every line exactly once, in order
 * per file by their timestamps (the agent's two streams may carry batches side by side).
 */
class RotationTest {

    @TempDir
    static Path dir;

    private static RecordingDoppler doppler;
    private static RunningMetron metron;

    @BeforeAll
    static void start() throws IOException {
        TestPki pki = new TestPki(dir);
        Files.createDirectories(dir.resolve("logs"));
        doppler = RecordingDoppler.start(pki.doppler, 0);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hydrant.metron.dopplers", doppler.address());
        settings.put("hydrant.metron.files.checkpoint-dir", dir.resolve("positions").toString());
        settings.put("hydrant.metron.files.idle-timeout", "3s");
        settings.put("hydrant.metron.files.inputs[0].path", dir.resolve("logs") + "/*.log");
        settings.put("hydrant.metron.files.inputs[0].source-id", "{file}");
        metron = RunningMetron.start(pki, settings);
    }

    @AfterAll
    static void stop() {
        metron.close();
        doppler.close();
    }

    @Test
    void rotationByRename_theOldFileIsReadToItsEndAndTheNewOneFromItsStart() throws IOException {
        Path live = dir.resolve("logs/renamed.log");
        int generations = 5;
        int perGeneration = 400;
        int late = 20;
        List<String> written = new ArrayList<>();
        for (int generation = 0; generation < generations; generation++) {
            try (FileChannel writer = FileChannel.open(live, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                write(writer, generation, 0, perGeneration, written);
                // a file created and renamed away between two looks of the agent is never seen: it waits for it
                String first = "g" + generation + " line 0";
                await().atMost(WAIT).until(() -> texts("renamed").contains(first));
                // logrotate renames the file; the writer has not reopened it yet and writes a few lines more
                Files.move(live, dir.resolve("logs/renamed.log." + generation), StandardCopyOption.REPLACE_EXISTING);
                write(writer, generation, perGeneration, perGeneration + late, written);
            }
        }

        List<String> received = await().atMost(WAIT)
                .until(() -> texts("renamed"), r -> r.size() >= written.size());

        assertThat(received).hasSize(written.size()).containsExactlyInAnyOrderElementsOf(written);
        for (int generation = 0; generation < generations; generation++) {
            String prefix = "g" + generation + " ";
            assertThat(received.stream().filter(line -> line.startsWith(prefix)))
                    .containsExactlyElementsOf(written.stream().filter(line -> line.startsWith(prefix)).toList());
        }
        assertThat(metron.registry().get("files.rotations").tag("kind", "rename").counter().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void rotationByCopyTruncate_theShrunkFileIsReadAgainFromTheStart() throws IOException {
        Path live = dir.resolve("logs/truncated.log");
        List<String> written = new ArrayList<>();
        double truncations = truncations();
        try (FileChannel writer = FileChannel.open(live, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int round = 0; round < 4; round++) {
                write(writer, round, 0, 300 - 50 * round, written);
                // copy-truncate loses what the agent had not read before the truncation: it waits for it
                int sent = written.size();
                await().atMost(WAIT).until(() -> texts("truncated").size() >= sent);
                Files.copy(live, dir.resolve("logs/truncated.log." + round), StandardCopyOption.REPLACE_EXISTING);
                writer.truncate(0);
                // and a file that grows past its old size before the agent looks does not look truncated
                double expected = truncations + round + 1;
                await().atMost(WAIT).until(() -> truncations() >= expected);
            }
            write(writer, 9, 0, 10, written);
        }

        List<String> received = await().atMost(WAIT).until(() -> texts("truncated"), r -> r.size() >= written.size());

        assertThat(received).containsExactlyElementsOf(written);
    }

    @Test
    void aDeletedFileIsReadToItsEndAndReleased() throws IOException {
        Path file = dir.resolve("logs/deleted.log");
        FileFormatsTest.append(file, "before\n");
        await().atMost(WAIT).until(() -> texts("deleted").size() == 1);
        double watched = metron.registry().get("files.watched").gauge().value();

        try (FileChannel writer = FileChannel.open(file, StandardOpenOption.APPEND)) {
            Files.delete(file);
            writer.write(ByteBuffer.wrap("written after the delete\n".getBytes(StandardCharsets.UTF_8)));
        }

        await().atMost(WAIT).until(() -> texts("deleted").size() == 2);
        assertThat(texts("deleted")).containsExactly("before", "written after the delete");
        await().atMost(WAIT).until(() -> metron.registry().get("files.watched").gauge().value() < watched);
    }

    @Test
    void aLastLineWithoutItsNewlineIsForwardedOnceTheFileIsQuietForTheIdleTimeout() throws IOException {
        FileFormatsTest.append(dir.resolve("logs/unfinished.log"), "complete\nno newline yet");

        await().atMost(WAIT).until(() -> texts("unfinished").size() == 2);

        assertThat(texts("unfinished")).containsExactly("complete", "no newline yet");
    }

    private static double truncations() {
        return metron.registry().get("files.rotations").tag("kind", "truncate").counter().count();
    }

    private static void write(FileChannel writer, int generation, int from, int to, List<String> written) throws IOException {
        StringBuilder text = new StringBuilder();
        IntStream.range(from, to).forEach(i -> {
            String line = "g" + generation + " line " + i;
            written.add(line);
            text.append(line).append('\n');
        });
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            writer.write(bytes);
        }
    }

    private static List<String> texts(String sourceId) {
        return doppler.from(sourceId).stream().sorted(Comparator.comparingLong(Envelope::getTimestamp)).map(Envelope::getLog).map(log -> log.getPayload().toStringUtf8()).toList();
    }
}
