package dev.hydrant.metron.files;

import static org.awaitility.Awaitility.await;

import dev.hydrant.doppler.DopplerApplication;
import dev.hydrant.metron.MetronApplication;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.process.ChildJvm;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer appends lines of 200 bytes at a fixed rate (100,000/s by default) to a file, first with no agent
 * running, then with a Metron agent (its own process, default settings: two streams) tailing the file and
 * forwarding every line to a real Doppler (its own process), from which a v2 subscriber in this JVM
 * ({@code Egress.BatchedReceiver}, {@link LineSubscriber}) receives them: it checks that every line arrives once
 * and that their timestamps follow the file's order, and counts arrivals out of order (the agent's two streams,
 * and each stream's rotation, let batches overtake each other on their way to and through the Doppler; consumers
 * order by timestamp). Prints the writer's achieved rate and its time per write call in both phases (the Doppler
 * and the subscriber run in both), the agent's and the Doppler's CPU per 10,000 lines/s, and how many lines
 * arrived. Not run by {@code verify} (tag {@code benchmark}):
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
    private static final Pattern DOPPLER_GRPC = Pattern.compile("doppler gRPC .*listening on \\S+:(\\d+)");
    private static final Pattern WEB_SERVER = Pattern.compile("Netty started on port (\\d+)");
    private static final Pattern PID = Pattern.compile("with PID (\\d+)");
    /** How long the subscriber may see no new line before the lines still missing are taken as lost. */
    private static final Duration QUIET = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void linesPerSecondAndAgentCpu() throws Exception {
        TestPki pki = new TestPki(dir);
        Path file = dir.resolve("app.log");
        Files.createFile(file);
        int room = (int) (RATE * (SECONDS + 4L) * 11 / 10);
        Path dopplerLog = dir.resolve("doppler.log");
        try (ChildJvm doppler = ChildJvm.start(DopplerApplication.class.getName(), List.of("-Xmx512m"),
                dopplerArguments(pki.doppler), dopplerLog)) {
            String dopplerAddress = "127.0.0.1:" + awaitLogged(dopplerLog, DOPPLER_GRPC);
            URI dopplerMetrics = URI.create("http://127.0.0.1:" + awaitLogged(dopplerLog, WEB_SERVER) + "/actuator/prometheus");
            ManagedChannel channel = GrpcTransport.channel(dopplerAddress, "doppler", pki.emitter,
                    "bench.subscriber.tls").build();
            LineSubscriber subscriber = LineSubscriber.subscribe(channel, "bench", room);
            try {
                await().atMost(Duration.ofMinutes(1)).until(() -> metric(dopplerMetrics, "subscriptions") >= 1);
                // the Doppler and the subscriber run in both phases; only the agent is not running, then is
                Phase alone = write(dir.resolve("alone.log"), 0);
                System.out.printf("FILES-BENCH phase=without-agent %s%n", alone);
                measureWithAgent(pki, file, dopplerAddress, subscriber, pid(dopplerLog), dopplerMetrics);
            } finally {
                subscriber.cancel();
                GrpcTransport.shutdown(channel, 1000);
            }
        }
    }

    private void measureWithAgent(TestPki pki, Path file, String dopplerAddress, LineSubscriber subscriber,
                                  long dopplerPid, URI dopplerMetrics) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hydrant.metron.dopplers", dopplerAddress);
        settings.put("hydrant.metron.udp-enabled", "false");
        settings.put("hydrant.metron.files.checkpoint-dir", dir.resolve("positions").toString());
        settings.put("hydrant.metron.files.inputs[0].path", file.toString());
        settings.put("hydrant.metron.files.inputs[0].source-id", "bench");
        Path agentLog = dir.resolve("agent.log");
        try (ChildJvm agent = ChildJvm.start(MetronApplication.class.getName(), List.of("-Xmx512m"),
                List.of(RunningMetron.arguments(pki, settings)), agentLog)) {
            // warm up: the agent is tailing and forwarding before the measured phase
            Phase warmUp = write(file, 0, Math.min(3, SECONDS));
            awaitArrivals(subscriber, warmUp.lines);
            long agentPid = pid(agentLog);
            Duration agentBefore = cpu(agentPid);
            Duration dopplerBefore = cpu(dopplerPid);
            long receivedBefore = subscriber.received.get();
            Phase with = write(file, warmUp.lines);
            long total = warmUp.lines + with.lines;
            awaitArrivals(subscriber, total);
            long drained = System.nanoTime();
            double agentSeconds = (cpu(agentPid).toNanos() - agentBefore.toNanos()) / 1e9;
            double dopplerSeconds = (cpu(dopplerPid).toNanos() - dopplerBefore.toNanos()) / 1e9;
            double lines = subscriber.received.get() - receivedBefore;
            System.out.printf("FILES-BENCH phase=with-agent %s drained-after=%.1fs%n", with,
                    (drained - with.endNanos) / 1e9);
            System.out.printf("FILES-BENCH received=%d of %d, twice=%d, missing=%d, beyond=%d,"
                            + " timestamps-out-of-file-order=%d, arrivals-out-of-order=%d, subscriber-failure=%s,"
                            + " doppler-dropped=%.0f%n", subscriber.received.get(), total, subscriber.twice.get(),
                    subscriber.missing(total), subscriber.beyond.get(), subscriber.timestampsOutOfFileOrder(total),
                    subscriber.outOfOrder.get(), subscriber.failure.get(), metric(dopplerMetrics, "dropped_total"));
            System.out.printf("FILES-BENCH agent-cpu=%.1fs doppler-cpu=%.1fs for %.0f lines: agent %.1f%%, doppler"
                            + " %.1f%% of a core per 10,000 lines/s; load average %.1f%n", agentSeconds,
                    dopplerSeconds, lines, 100 * agentSeconds / (lines / 10_000),
                    100 * dopplerSeconds / (lines / 10_000),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Waits until {@code lines} lines arrived, or none arrived for {@link #QUIET} (the rest are then missing). */
    private static void awaitArrivals(LineSubscriber subscriber, long lines) {
        AtomicLong seen = new AtomicLong(-1);
        AtomicLong since = new AtomicLong(System.nanoTime());
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long now = subscriber.received.get();
            if (now != seen.getAndSet(now)) {
                since.set(System.nanoTime());
            }
            return now >= lines || System.nanoTime() - since.get() > QUIET.toNanos();
        });
    }

    /** A Doppler on free ports, with a subscriber buffer that holds what a slow subscriber may fall behind by. */
    private static List<String> dopplerArguments(TlsFiles tls) {
        return List.of("--hydrant.doppler.host=127.0.0.1", "--hydrant.doppler.port=0", "--server.address=127.0.0.1",
                "--server.port=0", "--hydrant.doppler.subscriber-buffer-size=500000",
                "--hydrant.doppler.metrics-interval=1h",
                "--hydrant.doppler.tls.cert-file=" + tls.certFile(), "--hydrant.doppler.tls.key-file=" + tls.keyFile(),
                "--hydrant.doppler.tls.ca-file=" + tls.caFile());
    }

    /** The sum of a metric's samples at a Prometheus endpoint. */
    private static double metric(URI prometheus, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(prometheus)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher samples = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(response.body());
        double sum = 0;
        while (samples.find()) {
            sum += Double.parseDouble(samples.group(2));
        }
        return sum;
    }

    /** The first group of the first line of {@code log} matching {@code pattern}, waited for. */
    private static int awaitLogged(Path log, Pattern pattern) {
        AtomicLong found = new AtomicLong(-1);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Matcher matcher = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (matcher.find()) {
                found.set(Long.parseLong(matcher.group(1)));
            }
            return found.get() >= 0;
        });
        return (int) found.get();
    }

    /** A child's process id, from its log (Boot's "Starting ... with PID n"). */
    private static long pid(Path log) {
        return awaitLogged(log, PID);
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

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElseThrow();
    }
}
