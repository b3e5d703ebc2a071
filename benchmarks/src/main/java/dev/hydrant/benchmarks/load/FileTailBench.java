package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The container log file benchmark: a writer ({@link FileTailWriter}) appends lines of 200 bytes at a fixed rate
 * (100,000/s by default) to a file, first with no agent running, then with a Metron agent (its exec jar, a child
 * process, default settings: two streams) tailing the file and forwarding every line to a real Doppler (its exec
 * jar, a child process, from the start), from which a v2 subscriber in this JVM ({@code Egress.BatchedReceiver},
 * {@link FileTailSubscriber}) receives them: it checks that every line arrives once and that their timestamps
 * follow the file's order, and counts arrivals out of order. Both components run with the shipped JVM options
 * ({@code jvm.options}) and {@code MALLOC_ARENA_MAX=2}. Prints {@code FILES-BENCH} lines: the writer's achieved
 * rate and time per write call in both phases, what arrived, and the agent's and the Doppler's CPU per 10,000
 * lines/s.
 */
@Command(name = "file-tail-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A writer's rate with and without a Metron agent tailing its file, every line checked at a"
                + " Doppler subscriber, and the agent's CPU.")
public final class FileTailBench implements Callable<Integer> {

    private static final int LINE = 200;
    private static final Pattern DOPPLER_GRPC = Pattern.compile("doppler gRPC .*listening on \\S+:(\\d+)");
    /** How long the subscriber may see no new line before the lines still missing are taken as lost. */
    private static final Duration QUIET = Duration.ofSeconds(15);
    private static final Duration STARTUP = Duration.ofMinutes(2);

    @Option(names = "--rate", defaultValue = "100000", description = "Lines per second written (default: ${DEFAULT-VALUE}).")
    int rate;
    @Option(names = "--seconds", defaultValue = "15", description = "Length of each measured phase (default: ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--doppler-jar", description = "Doppler's exec jar (default: doppler/target).")
    Path dopplerJar;
    @Option(names = "--metron-jar", description = "Metron's exec jar (default: metron-agent/target).")
    Path metronJar;
    @Option(names = "--jvm-options-file", paramLabel = "FILE",
            description = "The components' JVM options (default: the repository's jvm.options).")
    Path jvmOptionsFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FileTailBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("file-tail-bench-");
        progress("work directory (kept): " + work + "; load average " + Files.readString(Path.of("/proc/loadavg")).trim());
        HarnessPki pki = HarnessPki.generate(work.resolve("certs"));
        List<String> jvm = ShippedJvmOptions.read(jvmOptionsFile != null ? jvmOptionsFile : ShippedJvmOptions.find());
        FileTailWriter writer = new FileTailWriter(LINE, rate);
        int room = (int) (rate * (seconds + 4L) * 11 / 10);
        try (ComponentProcess doppler = ComponentProcess.start("doppler",
                dopplerJar != null ? dopplerJar : ExecJars.find("doppler"), jvm, dopplerArguments(pki.doppler()),
                work, ShippedJvmOptions.ENVIRONMENT)) {
            String dopplerAddress = "127.0.0.1:" + doppler.awaitLoggedPort(DOPPLER_GRPC, STARTUP);
            doppler.awaitHealthy(STARTUP, 1);
            URI dopplerMetrics = doppler.prometheusUri();
            ManagedChannel channel = GrpcTransport.channel(dopplerAddress, "doppler", pki.client(),
                    "file-tail-bench.tls").build();
            FileTailSubscriber subscriber = FileTailSubscriber.subscribe(channel, "bench", room);
            try {
                await("the subscription", () -> PrometheusScrape.of(dopplerMetrics).sum("subscriptions").orElse(0) >= 1);
                // the Doppler and the subscriber run in both phases; only the agent is not running, then is
                FileTailWriter.Phase alone = writer.write(work.resolve("alone.log"), 0, seconds);
                System.out.printf("FILES-BENCH phase=without-agent %s%n", alone);
                measureWithAgent(work, pki, jvm, writer, dopplerAddress, subscriber, doppler);
            } finally {
                subscriber.cancel();
                GrpcTransport.shutdown(channel, 1000);
            }
        }
        return 0;
    }

    private void measureWithAgent(Path work, HarnessPki pki, List<String> jvm, FileTailWriter writer,
                                  String dopplerAddress, FileTailSubscriber subscriber, ComponentProcess doppler)
            throws Exception {
        Path file = Files.createFile(work.resolve("app.log"));
        List<String> arguments = new ArrayList<>(List.of("--hydrant.metron.port=0", "--hydrant.metron.udp-enabled=false",
                "--hydrant.metron.dopplers=" + dopplerAddress, "--server.port=0", "--hydrant.metron.metrics-interval=1h",
                "--hydrant.metron.files.checkpoint-dir=" + work.resolve("positions"),
                "--hydrant.metron.files.inputs[0].path=" + file, "--hydrant.metron.files.inputs[0].source-id=bench"));
        arguments.addAll(tlsArguments("hydrant.metron.tls", pki.metron()));
        try (ComponentProcess agent = ComponentProcess.start("metron-agent",
                metronJar != null ? metronJar : ExecJars.find("metron-agent"), jvm, arguments, work,
                ShippedJvmOptions.ENVIRONMENT)) {
            agent.awaitHealthy(STARTUP, 1);
            // warm up: the agent is tailing and forwarding before the measured phase
            FileTailWriter.Phase warmUp = writer.write(file, 0, Math.min(3, seconds));
            awaitArrivals(subscriber, warmUp.lines());
            Duration agentBefore = cpu(agent.pid());
            Duration dopplerBefore = cpu(doppler.pid());
            long receivedBefore = subscriber.received.get();
            FileTailWriter.Phase with = writer.write(file, warmUp.lines(), seconds);
            long total = warmUp.lines() + with.lines();
            awaitArrivals(subscriber, total);
            long drained = System.nanoTime();
            double agentSeconds = (cpu(agent.pid()).toNanos() - agentBefore.toNanos()) / 1e9;
            double dopplerSeconds = (cpu(doppler.pid()).toNanos() - dopplerBefore.toNanos()) / 1e9;
            double lines = subscriber.received.get() - receivedBefore;
            System.out.printf("FILES-BENCH phase=with-agent %s drained-after=%.1fs%n", with,
                    (drained - with.endNanos()) / 1e9);
            System.out.printf("FILES-BENCH received=%d of %d, twice=%d, missing=%d, beyond=%d,"
                            + " timestamps-out-of-file-order=%d, arrivals-out-of-order=%d, subscriber-failure=%s,"
                            + " doppler-dropped=%.0f%n", subscriber.received.get(), total, subscriber.twice.get(),
                    subscriber.missing(total), subscriber.beyond.get(), subscriber.timestampsOutOfFileOrder(total),
                    subscriber.outOfOrder.get(), subscriber.failure.get(),
                    PrometheusScrape.of(doppler.prometheusUri()).sum("dropped_total").orElse(0));
            System.out.printf("FILES-BENCH agent-cpu=%.1fs doppler-cpu=%.1fs for %.0f lines: agent %.1f%%, doppler"
                            + " %.1f%% of a core per 10,000 lines/s; load average %s%n", agentSeconds,
                    dopplerSeconds, lines, 100 * agentSeconds / (lines / 10_000),
                    100 * dopplerSeconds / (lines / 10_000), Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    /** Waits until {@code lines} lines arrived, or none arrived for {@link #QUIET} (the rest are then missing). */
    private static void awaitArrivals(FileTailSubscriber subscriber, long lines) throws InterruptedException {
        long seen = -1;
        long since = System.nanoTime();
        long deadline = since + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            long now = subscriber.received.get();
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            }
            if (now >= lines || System.nanoTime() - since > QUIET.toNanos()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + STARTUP);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** A Doppler on free loopback ports, with a subscriber buffer that holds what a slow subscriber may fall behind by. */
    private static List<String> dopplerArguments(TlsFiles tls) {
        List<String> arguments = new ArrayList<>(List.of("--hydrant.doppler.host=127.0.0.1",
                "--hydrant.doppler.port=0", "--server.address=127.0.0.1", "--server.port=0",
                "--hydrant.doppler.subscriber-buffer-size=500000", "--hydrant.doppler.metrics-interval=1h"));
        arguments.addAll(tlsArguments("hydrant.doppler.tls", tls));
        return arguments;
    }

    private static List<String> tlsArguments(String prefix, TlsFiles files) {
        return List.of("--" + prefix + ".cert-file=" + files.certFile().toAbsolutePath(),
                "--" + prefix + ".key-file=" + files.keyFile().toAbsolutePath(),
                "--" + prefix + ".ca-file=" + files.caFile().toAbsolutePath());
    }

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElseThrow();
    }

    private static void progress(String line) {
        System.err.println("[file-tail-bench] " + line);
    }
}
