package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The syslog drain benchmark: how many lines per second one syslog nozzle (its exec jar, a child process) delivers
 * to its drains, with the CPU it uses. The harness is the nozzle's Traffic Controller ({@link DrainFirehose} on
 * gRPC, {@link DrainBindingsServer}) and its drains' receiver: a real rsyslog ({@link RsyslogCounter}) or its own
 * frame counter ({@link FrameSink}). With {@code --dead}, the run measures the live drains twice, before and after
 * a dead drain is bound beside them on app-0. Prints one JSON line ({@link DrainBenchReport}).
 */
@Command(name = "drain-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Lines per second one syslog nozzle delivers to its drains, and its CPU.")
public final class DrainBench implements Callable<Integer> {

    @Option(names = "--drains", defaultValue = "1", description = "Apps, each with one drain (default: ${DEFAULT-VALUE}).")
    int drains;
    @Option(names = "--sink", defaultValue = "rsyslog",
            description = "rsyslog (a real rsyslogd) or frames (the harness's own octet-count reader) (default: ${DEFAULT-VALUE}).")
    String sink;
    @Option(names = "--rate", defaultValue = "0", description = "Envelopes per second offered; 0 = flat out (default: ${DEFAULT-VALUE}).")
    long rate;
    @Option(names = "--seconds", defaultValue = "20", description = "Length of each measured phase (default: ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--warmup-seconds", defaultValue = "10", description = "Unmeasured sending first (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--dead", defaultValue = "none",
            description = "none, refused (a port that takes no connection) or stalled (takes it, never reads) (default: ${DEFAULT-VALUE}).")
    String dead;
    @Option(names = "--payload-bytes", defaultValue = "120", description = "Log payload size (default: ${DEFAULT-VALUE}).")
    int payloadBytes;
    @Option(names = "--nozzle-jar", description = "The syslog nozzle's exec jar (default: nozzles/syslog/target).")
    Path nozzleJar;
    @Option(names = "--nozzle-jvm-opts", defaultValue = "-Xmx512m", description = "The nozzle's JVM options (default: ${DEFAULT-VALUE}).")
    String nozzleJvmOptions;
    @Option(names = "--nozzle-opts", defaultValue = "", description = "More --name=value settings for the nozzle, space separated.")
    String nozzleOptions;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DrainBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("rsyslog", "frames").contains(sink) || !List.of("none", "refused", "stalled").contains(dead)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "bad --sink or --dead");
        }
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        Path work = Files.createTempDirectory("drain-bench-");
        progress("work directory (kept): " + work);
        CertificateAuthority ca = CertificateAuthority.create("drain-bench-ca");
        TlsFiles server = ca.issueFiles(Files.createDirectories(work.resolve("firehose")), "traffic-controller");
        TlsFiles client = ca.issueFiles(Files.createDirectories(work.resolve("nozzle")), "syslog-nozzle");
        RsyslogCounter rsyslog = sink.equals("rsyslog") ? new RsyslogCounter(work.resolve("rsyslog")) : null;
        try (FrameSink frames = new FrameSink();
             StalledSink stalled = new StalledSink();
             Socket refused = new Socket();
             DrainFirehose firehose = new DrainFirehose(server, drains, payloadBytes);
             DrainBindingsServer bindings = new DrainBindingsServer()) {
            refused.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int livePort = rsyslog != null ? rsyslog.port() : frames.port();
            List<DrainBindingsServer.Drain> live = new ArrayList<>();
            for (int i = 0; i < drains; i++) {
                live.add(new DrainBindingsServer.Drain("drain-" + i, "app-" + i, "syslog://127.0.0.1:" + livePort));
            }
            bindings.set(live);
            try (ComponentProcess nozzle = startNozzle(work, bindings, firehose, client)) {
                DrainBenchReport report = new DrainBenchReport(this, load, nozzle, rsyslog, frames);
                awaitBound(nozzle, drains);
                firehose.rate(rate);
                progress("warming up for " + warmupSeconds + " s");
                TimeUnit.SECONDS.sleep(warmupSeconds);
                report.measure("live drains" + (dead.equals("none") ? "" : ", no dead drain"), firehose, seconds);
                if (!dead.equals("none")) {
                    int deadPort = dead.equals("refused") ? refused.getLocalPort() : stalled.port();
                    List<DrainBindingsServer.Drain> withDead = new ArrayList<>(live);
                    withDead.add(new DrainBindingsServer.Drain("dead", "app-0", "syslog://127.0.0.1:" + deadPort));
                    bindings.set(withDead);
                    awaitBound(nozzle, drains + 1);
                    // long enough for the dead drain's buffer to be full and dropping
                    TimeUnit.SECONDS.sleep(5);
                    report.measure("live drains beside a " + dead + " dead drain", firehose, seconds);
                }
                firehose.pause();
                System.out.println(report.json());
            }
        } finally {
            if (rsyslog != null) {
                rsyslog.close();
            }
        }
        return 0;
    }

    private ComponentProcess startNozzle(Path work, DrainBindingsServer bindings, DrainFirehose firehose,
                                         TlsFiles tls) throws Exception {
        Path jar = nozzleJar != null ? nozzleJar
                : Path.of(System.getProperty("hydrant.benchmarks.root", "."))
                        .resolve("nozzles/syslog/target/nozzle-syslog-" + ExecJars.VERSION + "-exec.jar");
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--hydrant.nozzle.url=" + bindings.baseUrl(),
                "--hydrant.nozzle.token=drain-bench",
                "--hydrant.nozzle.transport=grpc",
                "--hydrant.nozzle.grpc.target=127.0.0.1:" + firehose.port(),
                "--hydrant.nozzle.grpc.server-name=traffic-controller",
                "--hydrant.nozzle.grpc.cert-file=" + tls.certFile(),
                "--hydrant.nozzle.grpc.key-file=" + tls.keyFile(),
                "--hydrant.nozzle.grpc.ca-file=" + tls.caFile(),
                "--hydrant.nozzle.syslog.allowed-ranges=127.0.0.0/8",
                "--hydrant.nozzle.syslog.poll-interval=500ms"));
        if (!nozzleOptions.isBlank()) {
            arguments.addAll(Arrays.asList(nozzleOptions.trim().split("\\s+")));
        }
        List<String> jvm = nozzleJvmOptions.isBlank() ? List.of() : Arrays.asList(nozzleJvmOptions.trim().split("\\s+"));
        progress("starting the syslog nozzle: " + jar);
        ComponentProcess nozzle = ComponentProcess.start("syslog-nozzle", jar, jvm, arguments, work);
        try {
            nozzle.awaitHealthy(Duration.ofSeconds(120), 1);
        } catch (RuntimeException | InterruptedException e) {
            nozzle.close();
            throw e;
        }
        return nozzle;
    }

    private static void awaitBound(ComponentProcess nozzle, int bound) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (PrometheusScrape.of(nozzle.prometheusUri()).sum("syslog_drains_bound").orElse(-1) != bound) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the nozzle did not bind " + bound + " drains; its log:\n" + nozzle.logTail());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        progress(bound + " drains bound");
    }

    static void progress(String line) {
        System.err.println("[drain-bench] " + line);
    }
}
