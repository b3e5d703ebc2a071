package dev.hydrant.metron.egress;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose Doppler goes away with a batch in hand puts it back into the buffer when another Doppler's
 * stream is established: the batch goes out through that one rather than wait for its own Doppler to return, and
 * so the file positions move on past it (they wait for every envelope in the order it entered).
 */
class BrokenStreamTest {

    private static final String SOURCE = "stranded";

    @TempDir
    Path dir;

    @Test
    void aBatchInHandWhenItsDopplerGoes_isCarriedByAnotherDoppler_andThePositionsMoveOn() throws Exception {
        TestPki pki = new TestPki(dir);
        Path file = dir.resolve("app.log");
        Path positions = dir.resolve("positions");
        append(file, 0, 1);
        try (RecordingDoppler leaving = RecordingDoppler.start(pki.doppler, 0);
             RecordingDoppler staying = RecordingDoppler.start(pki.doppler, 0)) {
            staying.stop(); // listens only once the first line is in the other's batch
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("hydrant.metron.dopplers", leaving.address() + "," + staying.address());
            settings.put("hydrant.metron.streams-per-doppler", "1");
            settings.put("hydrant.metron.batch-interval", "1h"); // a batch goes when it holds batch-size (100)
            settings.put("hydrant.metron.stream-max-age", "1h");
            settings.put("hydrant.metron.stream-max-envelopes", "1"); // a stream closes, and is confirmed, after one batch
            settings.put("hydrant.metron.udp-enabled", "false");
            settings.put("hydrant.metron.files.checkpoint-dir", positions.toString());
            settings.put("hydrant.metron.files.checkpoint-interval", "200ms");
            settings.put("hydrant.metron.files.inputs[0].path", file.toString());
            settings.put("hydrant.metron.files.inputs[0].source-id", SOURCE);
            try (RunningMetron metron = RunningMetron.start(pki, settings)) {
                DropOldestBuffer<?> buffer = metron.bean(DropOldestBuffer.class);
                // the line has left the buffer and waits in the batch the leaving Doppler's worker is filling
                await().atMost(PATIENCE).until(() -> buffer.offered() == 1 && buffer.size() == 0 && metron.bufferFill() == 1);
                staying.restart();
                await().atMost(PATIENCE).until(() -> metron.dopplerConnections() == 2);

                leaving.stop();
                // its worker has seen its stream break (else it could fill the batch and write it into the dying stream)
                await().atMost(PATIENCE).until(() -> metron.dopplerConnections() == 1);
                append(file, 1, 100); // with the line given back, a full batch for the staying Doppler

                await().atMost(PATIENCE).until(() -> staying.from(SOURCE).size() == 100);
                assertThat(leaving.count()).isZero();
                long end = Files.size(file);
                await().atMost(PATIENCE).until(() -> checkpointed(positions) == end);
            }
        }
    }

    /** Appends the numbered lines {@code from} to before {@code to}. */
    private static void append(Path file, int from, int to) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < to; i++) {
            lines.append(String.format("line %08d%n", i));
        }
        Files.writeString(file, lines, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The offset the positions file records for the one file, 0 when there is none yet. */
    private static long checkpointed(Path dir) throws IOException {
        Path positions = dir.resolve("positions");
        if (!Files.exists(positions)) {
            return 0;
        }
        return Files.readAllLines(positions).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                .mapToLong(l -> Long.parseLong(l.split(" ")[2])).sum();
    }
}
