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
 * With no filesystem events ({@code watch=false}: no directory is registered, as on a filesystem whose
 * events never arrive) the tailer finds and reads everything by its poll interval alone: lines appended,
 * files that appear later, a file renamed away and its successor.
 */
class PollingFallbackTest {

    @TempDir
    static Path dir;

    private static RecordingDoppler doppler;
    private static RunningMetron metron;

    @BeforeAll
    static void start() throws IOException {
        TestPki pki = new TestPki(dir);
        Files.createDirectories(dir.resolve("logs"));
        FileFormatsTest.append(dir.resolve("logs/early.log"), "there before the agent\n");
        doppler = RecordingDoppler.start(pki.doppler, 0);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hydrant.metron.dopplers", doppler.address());
        settings.put("hydrant.metron.udp-enabled", "false");
        settings.put("hydrant.metron.files.watch", "false");
        settings.put("hydrant.metron.files.poll-interval", "200ms");
        settings.put("hydrant.metron.files.idle-timeout", "1s");
        settings.put("hydrant.metron.files.checkpoint-dir", dir.resolve("positions").toString());
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
    void withoutEvents_linesAppendedToAFileArriveInOrder() throws IOException {
        await().atMost(WAIT).until(() -> texts("early").size() == 1);
        List<String> written = new ArrayList<>(List.of("there before the agent"));
        try (FileChannel writer = FileChannel.open(dir.resolve("logs/early.log"), StandardOpenOption.APPEND)) {
            for (int round = 0; round < 5; round++) {
                write(writer, "round " + round, 0, 200, written);
                int sent = written.size();
                await().atMost(WAIT).until(() -> texts("early").size() >= sent);
            }
        }

        assertThat(texts("early")).containsExactlyElementsOf(written);
    }

    @Test
    void withoutEvents_aFileThatAppearsLaterIsFoundAndReadFromItsStart() throws IOException {
        FileFormatsTest.append(dir.resolve("logs/later.log"), "first\nsecond\n");

        await().atMost(WAIT).until(() -> texts("later").size() == 2);

        assertThat(texts("later")).containsExactly("first", "second");
    }

    @Test
    void withoutEvents_aFileRenamedAwayIsReadToItsEnd_andItsSuccessorFromItsStart() throws IOException {
        Path live = dir.resolve("logs/rotated.log");
        List<String> written = new ArrayList<>();
        try (FileChannel writer = FileChannel.open(live, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            write(writer, "old", 0, 300, written);
            // a file renamed away before the agent's first look at it is never seen: it waits for it
            await().atMost(WAIT).until(() -> !texts("rotated").isEmpty());
            Files.move(live, dir.resolve("logs/rotated.log.1"));
            write(writer, "old", 300, 320, written);
        }
        try (FileChannel writer = FileChannel.open(live, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(writer, "new", 0, 100, written);
        }

        List<String> received = await().atMost(WAIT).until(() -> texts("rotated"), r -> r.size() >= written.size());

        assertThat(received).hasSize(written.size()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(received.stream().filter(line -> line.startsWith("old ")))
                .containsExactlyElementsOf(written.stream().filter(line -> line.startsWith("old ")).toList());
        assertThat(received.stream().filter(line -> line.startsWith("new ")))
                .containsExactlyElementsOf(written.stream().filter(line -> line.startsWith("new ")).toList());
    }

    private static void write(FileChannel writer, String prefix, int from, int to, List<String> written)
            throws IOException {
        StringBuilder text = new StringBuilder();
        IntStream.range(from, to).forEach(i -> {
            String line = prefix + " line " + i;
            written.add(line);
            text.append(line).append('\n');
        });
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            writer.write(bytes);
        }
    }

    private static List<String> texts(String sourceId) {
        return doppler.from(sourceId).stream().sorted(Comparator.comparingLong(Envelope::getTimestamp))
                .map(envelope -> envelope.getLog().getPayload().toStringUtf8()).toList();
    }
}
