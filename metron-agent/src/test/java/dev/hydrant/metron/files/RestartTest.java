package dev.hydrant.metron.files;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.MetronApplication;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.testsupport.process.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent stopped in the middle of a file that is still being written, and started again, resumes
 * from its checkpoint: after SIGTERM every line arrives exactly once; after SIGKILL none is missing
 * and the only duplicates are lines after the last checkpoint written.
 */
class RestartTest {

    private static final Logger log = LoggerFactory.getLogger(RestartTest.class);

    /** Lines of a fixed width, so that a checkpointed offset names a line. */
    private static final int LINE = 100;

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static RecordingDoppler doppler;

    @BeforeAll
    static void start() {
        pki = new TestPki(dir);
        doppler = RecordingDoppler.start(pki.doppler, 0);
    }

    @AfterAll
    static void stop() {
        doppler.close();
    }

    @Test
    void afterSigtermTheRestartedAgentDeliversEveryLineExactlyOnce() throws Exception {
        Run run = new Run("term");
        try (Writer writer = new Writer(run.file)) {
            ChildJvm first = run.agent();
            await().atMost(PATIENCE).until(() -> doppler.from("term").size() >= 1000);
            first.close(); // SIGTERM: reading stops, the final positions are written, the buffer is flushed
            assertThat(first.waitFor(1)).isZero();
            long checkpointed = run.checkpointedOffset();
            assertThat(counts("term", writer.written()).sum()).isEqualTo(checkpointed / LINE);

            try (ChildJvm second = run.agent()) {
                int target = writer.written() + 500;
                writer.writeUntil(() -> doppler.from("term").size() >= target);
                int total = writer.stopWriting();
                await().atMost(PATIENCE).until(() -> doppler.from("term").size() >= total);
                int[] counts = counts("term", total).toArray();
                assertThat(counts).as("each line's deliveries").containsOnly(1);
                assertThat(second.isAlive()).isTrue();
            }
        }
    }

    @Test
    void afterSigkillTheRestartedAgentMissesNoLine_andRepeatsOnlyLinesAfterTheLastCheckpoint() throws Exception {
        Run run = new Run("kill");
        try (Writer writer = new Writer(run.file)) {
            ChildJvm first = run.agent();
            await().atMost(PATIENCE).until(() -> doppler.from("kill").size() >= 2000 && run.checkpointedOffset() > 0);
            first.kill(); // SIGKILL: no final checkpoint
            long checkpointedLine = run.checkpointedOffset() / LINE;
            assertThat(checkpointedLine).as("a checkpoint was written before the kill").isPositive();

            try (ChildJvm second = run.agent()) {
                int target = writer.written() + 500;
                writer.writeUntil(() -> doppler.from("kill").size() >= target);
                int total = writer.stopWriting();
                await().atMost(PATIENCE).until(() -> counts("kill", total).allMatch(n -> n >= 1));
                int[] counts = counts("kill", total).toArray();
                // none missing, none more than twice (zero duplicates is fine: the kill may fall just after a checkpoint)
                assertThat(Arrays.stream(counts).boxed().toList()).as("each line's deliveries").isSubsetOf(1, 2);
                log.info("after SIGKILL: {} lines, checkpoint at line {}, {} delivered twice", total,
                        checkpointedLine, Arrays.stream(counts).filter(n -> n == 2).count());
                for (int line = 0; line < checkpointedLine; line++) {
                    assertThat(counts[line]).as("deliveries of line %d, before the checkpoint", line).isEqualTo(1);
                }
                assertThat(second.isAlive()).isTrue();
            }
        }
    }

    @Test
    void linesTheAgentStillHoldsWhenKilled_areNotCheckpointed_andArriveAfterTheRestart() throws Exception {
        Run run = new Run("held");
        doppler.stop(); // nothing leaves the agent: every line read stays in its buffer
        boolean listening = false;
        try (Writer writer = new Writer(run.file)) {
            ChildJvm first = run.agent();
            writer.writeUntil(() -> writer.written() >= 1000);
            int total = writer.stopWriting();
            // several checkpoint intervals pass: a position past a line still held would be a gap after a crash
            await().during(Duration.ofSeconds(5)).atMost(PATIENCE)
                    .until(() -> run.checkpointedOffset() == 0);
            first.kill();
            doppler.restart();
            listening = true;

            try (ChildJvm second = run.agent()) {
                await().atMost(PATIENCE).until(() -> counts("held", total).allMatch(n -> n >= 1));
                assertThat(counts("held", total).toArray()).as("each line's deliveries").containsOnly(1);
                assertThat(second.isAlive()).isTrue();
            }
        } finally {
            if (!listening) {
                doppler.restart();
            }
        }
    }

    /** How often each of the lines {@code 0 .. n-1} arrived. */
    private static java.util.stream.IntStream counts(String sourceId, int n) {
        int[] counts = new int[n];
        doppler.from(sourceId).forEach(e -> {
            int line = Integer.parseInt(e.getLog().getPayload().toStringUtf8().substring(5, 13));
            if (line < n) {
                counts[line]++;
            }
        });
        return Arrays.stream(counts);
    }

    /** One agent's files and settings; each {@link #agent()} starts it again on them. */
    private static final class Run {
        private final String name;
        private final Path file;
        private final Path positions;
        private final AtomicInteger starts = new AtomicInteger();

        Run(String name) throws IOException {
            this.name = name;
            Files.createDirectories(dir.resolve(name));
            this.file = dir.resolve(name).resolve(name + ".log");
            this.positions = dir.resolve(name + "-positions");
            Files.createFile(file);
        }

        ChildJvm agent() throws IOException {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("hydrant.metron.dopplers", doppler.address());
            settings.put("hydrant.metron.streams-per-doppler", "1");
            settings.put("hydrant.metron.udp-enabled", "false");
            settings.put("hydrant.metron.shutdown-grace", "10s"); // within ChildJvm.close()'s 20 s before SIGKILL
            settings.put("hydrant.metron.files.checkpoint-dir", positions.toString());
            settings.put("hydrant.metron.files.checkpoint-interval", "2s");
            settings.put("hydrant.metron.files.inputs[0].path", file.toString());
            settings.put("hydrant.metron.files.inputs[0].source-id", name);
            Path log = dir.resolve(name + "-agent-" + starts.incrementAndGet() + ".log");
            return ChildJvm.start(MetronApplication.class.getName(), List.of("-Xmx256m"),
                    List.of(RunningMetron.arguments(pki, settings)), log);
        }

        long checkpointedOffset() throws IOException {
            if (!Files.exists(positions.resolve("positions"))) {
                return 0;
            }
            return Files.readAllLines(positions.resolve("positions")).stream().filter(l -> !l.startsWith("#"))
                    .mapToLong(l -> Long.parseLong(l.split(" ")[2])).sum();
        }
    }

    /** Appends numbered lines of {@link #LINE} bytes, about 500 a second, on its own thread, until stopped. */
    private static final class Writer implements AutoCloseable {
        private final FileChannel channel;
        private final AtomicInteger written = new AtomicInteger();
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final Thread thread;

        Writer(Path file) throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            thread = new Thread(this::run, "test-writer");
            thread.start();
        }

        private void run() {
            while (writing.get()) {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 5; i++) {
                    String head = String.format("line %08d ", written.getAndIncrement());
                    lines.append(head).append("x".repeat(LINE - head.length() - 1)).append('\n');
                }
                try {
                    ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.US_ASCII));
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // pacing, not synchronisation
            }
        }

        int written() {
            return written.get();
        }

        /** Keeps writing until {@code done}. */
        void writeUntil(java.util.concurrent.Callable<Boolean> done) {
            await().atMost(PATIENCE).until(done);
        }

        /** Stops; the number of lines written. */
        int stopWriting() throws InterruptedException {
            writing.set(false);
            thread.join();
            return written.get();
        }

        @Override
        public void close() throws Exception {
            stopWriting();
            channel.close();
        }
    }
}
