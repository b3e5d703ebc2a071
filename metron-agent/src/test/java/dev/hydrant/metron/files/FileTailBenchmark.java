package dev.hydrant.metron.files;

import static org.awaitility.Awaitility.await;

import dev.hydrant.metron.MetronApplication;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.testsupport.process.ChildJvm;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer appends lines of 200 bytes at a fixed rate (100,000/s by default) to a file, first with no
 * agent running, then with a Metron agent (its own process, default settings) tailing the file and
 * forwarding every line to a counting Doppler in this JVM, which checks that each line arrives once and
 * that their timestamps follow the file's order (and counts arrivals out of order: the agent's two
 * streams, and each stream's rotation, let batches overtake each other). Prints the
 * writer's achieved rate and its time per write call in both phases, the agent's CPU per 10,000 lines/s,
 * and how many lines arrived, in order. Not run by {@code verify} (tag {@code benchmark}):
 * {@code ./mvnw -B -q -pl metron-agent -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=FileTailBenchmark -Dgroups=benchmark -DexcludedGroups=none}
 * ({@code -Dbench.rate=N} lines/s, {@code -Dbench.seconds=N} per phase, default 15).
 */
@Tag("benchmark")
class FileTailBenchmark {

    private static final int LINE = 200;
    private static final int RATE = Integer.getInteger("bench.rate", 100_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
    /** Lines per write call: one write a millisecond. */
    private static final int PER_WRITE = Math.max(1, RATE / 1000);

    @TempDir
    Path dir;

    @Test
    void linesPerSecondAndAgentCpu() throws Exception {
        TestPki pki = new TestPki(dir);
        Path file = dir.resolve("app.log");
        Files.createFile(file);
        Phase alone = write(dir.resolve("alone.log"), 0);
        System.out.printf("FILES-BENCH phase=without-agent %s%n", alone);

        CountingDoppler doppler = new CountingDoppler((int) (RATE * (SECONDS + 4L) * 11 / 10));
        Server server = GrpcTransport.server("127.0.0.1", 0, pki.doppler, "bench.doppler.tls")
                .addService(doppler).build().start();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hydrant.metron.dopplers", "127.0.0.1:" + server.getPort());
        settings.put("hydrant.metron.udp-enabled", "false");
        settings.put("hydrant.metron.files.checkpoint-dir", dir.resolve("positions").toString());
        settings.put("hydrant.metron.files.inputs[0].path", file.toString());
        settings.put("hydrant.metron.files.inputs[0].source-id", "bench");
        try (ChildJvm agent = ChildJvm.start(MetronApplication.class.getName(), List.of("-Xmx512m"),
                List.of(RunningMetron.arguments(pki, settings)), dir.resolve("agent.log"))) {
            // warm up: the agent is tailing and forwarding before the measured phase
            Phase warmUp = write(file, 0, Math.min(3, SECONDS));
            await().atMost(Duration.ofMinutes(2)).until(() -> doppler.received.get() >= warmUp.lines);
            long agentPid = agentPid(dir.resolve("agent.log"));
            Duration cpuBefore = cpu(agentPid);
            long receivedBefore = doppler.received.get();
            Phase with = write(file, warmUp.lines);
            await().atMost(Duration.ofMinutes(5)).until(() -> doppler.received.get() >= warmUp.lines + with.lines);
            long drained = System.nanoTime();
            double cpuSeconds = (cpu(agentPid).toNanos() - cpuBefore.toNanos()) / 1e9;
            double lines = doppler.received.get() - receivedBefore;
            System.out.printf("FILES-BENCH phase=with-agent %s drained-after=%.1fs%n", with,
                    (drained - with.endNanos) / 1e9);
            System.out.printf("FILES-BENCH received=%d of %d, twice=%d, missing=%d, timestamps-out-of-file-order=%d,"
                            + " arrivals-out-of-order=%d%n", doppler.received.get(), warmUp.lines + with.lines,
                    doppler.twice.get(), doppler.missing(warmUp.lines + with.lines),
                    doppler.timestampsOutOfOrder(warmUp.lines + with.lines), doppler.outOfOrder.get());
            System.out.printf("FILES-BENCH received=%d of %d, out-of-order=%d, agent-cpu=%.1fs for %.0f lines:"
                            + " %.1f%% of a core per 10,000 lines/s; load average %.1f%n",
                    doppler.received.get(), warmUp.lines + with.lines, doppler.outOfOrder.get(), cpuSeconds, lines,
                    100 * cpuSeconds / (lines / 10_000), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            server.shutdownNow();
        }
    }

    /** What a writing phase achieved. */
    private record Phase(long lines, double seconds, double microsPerWrite, long endNanos) {
        @Override
        public String toString() {
            return String.format("lines=%d rate=%.0f/s write-call=%.1fus", lines, lines / seconds, microsPerWrite);
        }
    }

    private static Phase write(Path file, long first) throws IOException {
        return write(file, first, SECONDS);
    }

    /** Appends numbered lines at {@link #RATE} for {@code seconds}, one write call a millisecond, never catching up in bursts. */
    private static Phase write(Path file, long first, int seconds) throws IOException {
        byte[] filler = "x".repeat(LINE).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer chunk = ByteBuffer.allocate(PER_WRITE * LINE);
        long written = 0;
        long inWrite = 0;
        long writes = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            long next = start;
            while (System.nanoTime() < end) {
                chunk.clear();
                for (int i = 0; i < PER_WRITE; i++) {
                    long number = first + written + i;
                    int at = chunk.position();
                    for (int digit = 11; digit >= 0; digit--) {
                        chunk.put(at + digit, (byte) ('0' + number % 10));
                        number /= 10;
                    }
                    chunk.position(at + 12);
                    chunk.put((byte) ' ').put(filler, 0, LINE - 14).put((byte) '\n');
                }
                chunk.flip();
                long before = System.nanoTime();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                inWrite += System.nanoTime() - before;
                writes++;
                written += PER_WRITE;
                next += TimeUnit.MILLISECONDS.toNanos(1);
                long now = System.nanoTime();
                if (next > now) {
                    LockSupport.parkNanos(next - now);
                } else if (now - next > TimeUnit.MILLISECONDS.toNanos(20)) {
                    next = now; // fell behind: the rate shows it, no burst to catch up
                }
            }
        }
        long stop = System.nanoTime();
        return new Phase(written, (stop - start) / 1e9, inWrite / 1e3 / writes, stop);
    }

    /** The agent's process id, from the first line of its log (Boot's "Starting ... with PID n"). */
    private static long agentPid(Path log) throws IOException {
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("with PID ");
            if (at >= 0) {
                return Long.parseLong(line.substring(at + 9).split("[^0-9]")[0]);
            }
        }
        throw new IllegalStateException("no PID in " + log);
    }

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElseThrow();
    }

    /** A Doppler that counts what it receives, keeps each line's timestamp and notes arrivals out of order. */
    private static final class CountingDoppler extends IngressGrpc.IngressImplBase {
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong outOfOrder = new AtomicLong();
        private final AtomicLong twice = new AtomicLong();
        private final long[] timestamps;
        private long last = -1;

        CountingDoppler(int lines) {
            timestamps = new long[lines];
        }

        synchronized long missing(long lines) {
            long n = 0;
            for (int i = 0; i < lines; i++) {
                n += timestamps[i] == 0 ? 1 : 0;
            }
            return n;
        }

        synchronized long timestampsOutOfOrder(long lines) {
            long n = 0;
            for (int i = 1; i < lines; i++) {
                n += timestamps[i] <= timestamps[i - 1] ? 1 : 0;
            }
            return n;
        }

        private void record(long line, long timestamp) {
            if (line <= last) {
                outOfOrder.incrementAndGet();
            }
            last = line;
            if (line < timestamps.length) {
                if (timestamps[(int) line] != 0) {
                    twice.incrementAndGet();
                }
                timestamps[(int) line] = timestamp;
            }
            received.incrementAndGet();
        }

        @Override
        public StreamObserver<EnvelopeBatch> batchSender(StreamObserver<BatchSenderResponse> response) {
            return new StreamObserver<>() {
                @Override
                public void onNext(EnvelopeBatch batch) {
                    synchronized (CountingDoppler.this) {
                        for (Envelope envelope : batch.getBatchList()) {
                            if (!envelope.hasLog() || !"bench".equals(envelope.getSourceId())) {
                                continue;
                            }
                            record(Long.parseLong(envelope.getLog().getPayload().substring(0, 12).toStringUtf8()),
                                    envelope.getTimestamp());
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    response.onNext(BatchSenderResponse.getDefaultInstance());
                    response.onCompleted();
                }
            };
        }
    }
}
