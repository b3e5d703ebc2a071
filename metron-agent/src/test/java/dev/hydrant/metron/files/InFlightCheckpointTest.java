package dev.hydrant.metron.files;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.support.HoldingDoppler;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line whose batch is still unconfirmed on one stream is not checkpointed, however many newer lines another
 * stream's Doppler has confirmed: a SIGKILL then would lose it. Two real Dopplers (gRPC, mutual TLS), one of which
 * holds its answers.
 */
class InFlightCheckpointTest {

    private static final String SOURCE = "in-flight";

    @TempDir
    Path dir;

    @Test
    void aLineUnconfirmedOnOneStream_isNotCheckpointed_whileNewerLinesAreConfirmedOnAnother() throws Exception {
        TestPki pki = new TestPki(dir);
        Path file = dir.resolve("app.log");
        Path positions = dir.resolve("positions");
        AtomicInteger written = new AtomicInteger();
        append(file, written);
        try (HoldingDoppler holding = HoldingDoppler.start(pki.doppler);
             RecordingDoppler confirming = RecordingDoppler.start(pki.doppler, 0)) {
            confirming.stop(); // its address is known; it listens only once the first line is on the holding one
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("hydrant.metron.dopplers", holding.address() + "," + confirming.address());
            settings.put("hydrant.metron.streams-per-doppler", "1");
            settings.put("hydrant.metron.stream-max-envelopes", "1"); // each stream closes after one batch
            settings.put("hydrant.metron.stream-max-age", "1m"); // a held stream does not time out meanwhile
            settings.put("hydrant.metron.udp-enabled", "false");
            settings.put("hydrant.metron.files.checkpoint-dir", positions.toString());
            settings.put("hydrant.metron.files.checkpoint-interval", "200ms");
            settings.put("hydrant.metron.files.inputs[0].path", file.toString());
            settings.put("hydrant.metron.files.inputs[0].source-id", SOURCE);
            try (RunningMetron metron = RunningMetron.start(pki, settings)) {
                await().atMost(PATIENCE).until(() -> holding.from(SOURCE).size() == 1 && holding.held() == 1);
                confirming.restart();
                await().atMost(PATIENCE).until(() -> {
                    append(file, written);
                    return confirming.from(SOURCE).size() >= 20;
                });
                assertThat(metron.egress()).as("newer lines confirmed").isGreaterThanOrEqualTo(20);

                // many checkpoint intervals: the first line's offset must not be recorded while its batch is held
                await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> checkpointed(positions) == 0);

                holding.release();
                long end = Files.size(file);
                await().atMost(PATIENCE).until(() -> checkpointed(positions) == end);
                assertThat(holding.from(SOURCE).size() + confirming.from(SOURCE).size()).isEqualTo(written.get());
            }
        }
    }

    /** Appends one numbered line. */
    private static void append(Path file, AtomicInteger written) throws IOException {
        String line = String.format("line %08d%n", written.getAndIncrement());
        Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
