package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end load harness: emitters -> Metron -> Doppler -> consumers on loopback, or
 * emitters -> Doppler with {@code --doppler-only}; consumers read from Doppler directly and/or
 * through a Traffic Controller (websocket firehose, SSE) that the harness starts as well.
 * Prints one JSON line with what was sent, received, lost (and where it was dropped), the
 * latency per consumer kind and the peak memory of each process.
 * The JSON line is the only thing on standard output; progress goes to standard error.
 */
@Command(name = "load-harness", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Drives Hydrant's Metron, Doppler and Traffic Controller with log envelopes and prints one JSON"
                + " line of results.")
public final class LoadHarness implements Callable<Integer> {

    /** Held so that its level sticks: Netty's note about TLS 1.3 ciphers is not worth a line per channel. */
    /** How long a cold run warms the harness's own code before it starts the components. */
    private static final long HARNESS_WARMUP_MILLIS = 2_000;

    private static final Logger NETTY_SSL_LOG = Logger.getLogger("io.grpc.netty.shaded.io.netty.handler.ssl");

    @Option(names = "--rate", defaultValue = "10000",
            description = "Envelopes per second over all emitters; 0 sends flat out (default: ${DEFAULT-VALUE}).")
    long rate;
    @Option(names = "--seconds", defaultValue = "30", description = "How long to send (default: ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--warmup-seconds", defaultValue = "0",
            description = "Send this long first, at the same rate, without measuring (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--emitters", defaultValue = "4",
            description = "BatchSender streams, each on its own connection (default: ${DEFAULT-VALUE}).")
    int emitters;
    @Option(names = "--consumers", defaultValue = "1",
            description = "Subscribers of each consumer kind, each getting the whole stream"
                    + " (default: ${DEFAULT-VALUE}).")
    int consumers;
    @Option(names = "--consumer", paramLabel = "KIND", defaultValue = "doppler",
            description = "Where the consumers read: doppler (gRPC), websocket (Traffic Controller v1 firehose),"
                    + " sse (Traffic Controller /v2/read), all (the three side by side), a comma-separated list, or none"
                    + " (default: ${DEFAULT-VALUE}).")
    String consumerKinds;
    @Option(names = "--stalled-consumer", description = "Also subscribe one consumer that never reads.")
    boolean stalledConsumer;
    @Option(names = "--payload-bytes", defaultValue = "120", description = "Log payload size (default: ${DEFAULT-VALUE}).")
    int payloadBytes;
    @Option(names = "--batch-size", defaultValue = "100",
            description = "Envelopes per batch at most (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--tick-ms", defaultValue = "10",
            description = "A paced emitter sends what is due every this many ms (default: ${DEFAULT-VALUE}).")
    int tickMillis;
    @Option(names = "--doppler-only", description = "Send straight to Doppler's Ingress; no Metron.")
    boolean dopplerOnly;

    @Option(names = "--cold", description = "Start the pipe and load it as soon as every component is listening,"
            + " healthy and the probe passed (no warm-up); the harness warms its own code first.")
    boolean cold;
    @Option(names = "--first-window-seconds", defaultValue = "10",
            description = "Report envelopes sent in the first this many seconds apart from the rest"
                    + " (default: ${DEFAULT-VALUE}).")
    int firstWindowSeconds;

    @Option(names = "--metron", paramLabel = "HOST:PORT", description = "A running Metron's v2 ingress.")
    String metronTarget;
    @Option(names = "--doppler", paramLabel = "HOST:PORT", description = "A running Doppler's gRPC server.")
    String dopplerTarget;
    @Option(names = "--traffic-controller", paramLabel = "URL",
            description = "A running Traffic Controller's public HTTP base, http(s)://host:port.")
    URI trafficControllerTarget;
    @Option(names = "--certs", paramLabel = "DIR",
            description = "With --doppler/--metron: a directory holding ca.crt, load-harness.crt and load-harness.key.")
    Path certsDir;
    @Option(names = "--metron-metrics", paramLabel = "URL", description = "Prometheus URL of a running Metron.")
    URI metronMetrics;
    @Option(names = "--doppler-metrics", paramLabel = "URL", description = "Prometheus URL of a running Doppler.")
    URI dopplerMetrics;
    @Option(names = "--tc-metrics", paramLabel = "URL",
            description = "Prometheus URL of a running Traffic Controller.")
    URI trafficControllerMetrics;
    @Option(names = "--metron-pid", paramLabel = "PID", description = "A running Metron's process id, for CPU and memory.")
    Long metronPid;
    @Option(names = "--doppler-pid", paramLabel = "PID", description = "A running Doppler's process id.")
    Long dopplerPid;
    @Option(names = "--tc-pid", paramLabel = "PID", description = "A running Traffic Controller's process id.")
    Long trafficControllerPid;
    @Option(names = "--token-file", paramLabel = "FILE",
            description = "With --traffic-controller: a file holding a bearer token with scope doppler.firehose.")
    Path tokenFile;
    @Option(names = "--token-signing-key", paramLabel = "FILE",
            description = "With --traffic-controller: a PEM PKCS#8 RSA private key it trusts, to sign an admin token.")
    Path tokenSigningKey;
    @Option(names = "--allow-remote",
            description = "Let --metron, --doppler, --traffic-controller and --*-metrics name other hosts.")
    boolean allowRemote;

    @Option(names = "--doppler-jar", paramLabel = "JAR", description = "Doppler exec jar (default: found under doppler/target).")
    Path dopplerJar;
    @Option(names = "--metron-jar", paramLabel = "JAR",
            description = "Metron exec jar (default: found under metron-agent/target).")
    Path metronJar;
    @Option(names = "--traffic-controller-jar", paramLabel = "JAR",
            description = "Traffic Controller exec jar (default: found under traffic-controller/target).")
    Path trafficControllerJar;
    @Option(names = "--jvm-opts", defaultValue = "-Xmx512m",
            description = "JVM options of every started component, space separated (default: ${DEFAULT-VALUE}).")
    String jvmOptions;
    @Option(names = "--shipped-jvm-options",
            description = "Start every component with the JVM options Hydrant ships (jvm.options at the repository"
                    + " root) and MALLOC_ARENA_MAX=2, instead of --jvm-opts.")
    boolean shippedJvmOptions;
    @Option(names = "--component-java", paramLabel = "JAVA",
            description = "The java that runs the started components (default: the harness's own).")
    Path componentJava;
    @Option(names = "--start-cache", paramLabel = "DIR",
            description = "Start each component from its exec jar extracted into DIR/<component>/ with its start-up"
                    + " cache DIR/<component>-<java feature release>.aot (Java 25+: ahead-of-time cache) or .jsa"
                    + " (older: class-data sharing archive), recorded first by a training pass (10,000 env/s for"
                    + " 10 s, then SIGTERM) when missing or made by another JDK build or other JVM options.")
    Path startCache;
    @Option(names = "--doppler-jvm-opts", description = "JVM options of Doppler, instead of --jvm-opts.")
    String dopplerJvmOptions;
    @Option(names = "--metron-jvm-opts", description = "JVM options of Metron, instead of --jvm-opts.")
    String metronJvmOptions;
    @Option(names = "--tc-jvm-opts", description = "JVM options of the Traffic Controller, instead of --jvm-opts.")
    String trafficControllerJvmOptions;
    @Option(names = "--tc-client-buffer-size",
            description = "Passed as hydrant.traffic-controller.client-buffer-size"
                    + " (default: the Traffic Controller's).")
    Integer tcClientBufferSize;
    @Option(names = "--tc-slow-consumer-timeout-ms",
            description = "Passed as hydrant.traffic-controller.slow-consumer-timeout, in ms"
                    + " (default: the Traffic Controller's).")
    Integer tcSlowConsumerTimeoutMillis;
    @Option(names = "--metron-buffer-size", description = "Passed as hydrant.metron.buffer-size (default: Metron's).")
    Integer metronBufferSize;
    @Option(names = "--doppler-subscriber-buffer-size",
            description = "Passed as hydrant.doppler.subscriber-buffer-size (default: Doppler's).")
    Integer subscriberBufferSize;

    @Option(names = "--drain-quiet-ms", defaultValue = "2000",
            description = "After sending, stop waiting once nothing new arrived for this long (default: ${DEFAULT-VALUE}).")
    int drainQuietMillis;
    @Option(names = "--drain-max-seconds", defaultValue = "30",
            description = "After sending, stop waiting after this long in any case (default: ${DEFAULT-VALUE}).")
    int drainMaxSeconds;
    @Option(names = "--startup-timeout-seconds", defaultValue = "120",
            description = "How long a started component may take to report UP (default: ${DEFAULT-VALUE}).")
    int startupTimeoutSeconds;
    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where certificates and component logs go (default: a new temporary directory).")
    Path workDir;
    @Option(names = "--keep-work-dir", description = "Keep the work directory after a successful run.")
    boolean keepWorkDir;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new LoadHarness())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("load-harness: " + e.getMessage());
                    return e instanceof IllegalArgumentException || e instanceof InvalidSettingException ? 2 : 1;
                });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LoadSettings settings = settings();
        LoadReport report = run(settings, componentJava, startCache, System.err);
        System.out.println(report.toJson());
        return report.errors().isEmpty() ? 0 : 1;
    }

    /**
     * Runs one load run with the same options as the command line and returns its JSON line
     * (progress goes to standard error). For tests and for callers that drive several runs.
     */
    public static String runToJson(String... args) throws IOException, InterruptedException {
        LoadHarness harness = new LoadHarness();
        new CommandLine(harness).parseArgs(args);
        return run(harness.settings(), harness.componentJava, harness.startCache, System.err).toJson();
    }

    /** Runs one load run with {@code settings}, telling progress on {@code log}. */
    static LoadReport run(LoadSettings settings, PrintStream log) throws IOException, InterruptedException {
        return run(settings, null, null, log);
    }

    /**
     * The same, the components started by {@code componentJava} (null: the harness's own java) and, unless
     * {@code startCache} is null, from their start-up caches in that directory, recorded first if need be.
     */
    static LoadReport run(LoadSettings settings, Path componentJava, Path startCache, PrintStream log)
            throws IOException, InterruptedException {
        checkLaunchOptions(settings, componentJava, startCache);
        NETTY_SSL_LOG.setLevel(Level.WARNING);
        boolean temporary = settings.workDir() == null;
        Path dir = temporary ? Files.createTempDirectory("hydrant-load-") : Files.createDirectories(settings.workDir());
        boolean ok = false;
        try {
            log.println("load-harness: work directory " + dir);
            Launcher launcher = Launcher.plain(ComponentJava.of(componentJava));
            if (startCache != null) {
                launcher = StartCacheTraining.prepare(settings, launcher.java(), startCache, dir, log);
            }
            if (settings.cold()) {
                long warmed = HarnessWarmup.run(settings.payloadBytes(), settings.batchSize(), HARNESS_WARMUP_MILLIS);
                HarnessWarmup.loadGrpc(dir.resolve("warmup-certs"));
                log.println("load-harness: cold run; warmed the harness's own code on " + warmed + " envelopes");
            }
            try (Components components = Components.open(settings, dir, settings.environment(), launcher)) {
                log.println("load-harness: doppler at " + components.dopplerAddress()
                        + (components.metronAddress() == null ? "" : ", metron at " + components.metronAddress())
                        + (components.trafficControllerUri() == null ? ""
                        : ", traffic controller at " + components.trafficControllerUri())
                        + "; sending for " + settings.seconds() + " s");
                LoadReport report = new LoadRun(settings, components, log).execute();
                ok = report.errors().isEmpty();
                return report;
            }
        } finally {
            if (ok && temporary && !settings.keepWorkDir()) {
                deleteTree(dir);
            } else {
                log.println("load-harness: kept " + dir);
            }
        }
    }

    /** {@code --component-java} and {@code --start-cache} are about started components. */
    static void checkLaunchOptions(LoadSettings settings, Path componentJava, Path startCache) {
        if (!settings.startsComponents() && (componentJava != null || startCache != null)) {
            throw new IllegalArgumentException("--component-java and --start-cache are for components the harness"
                    + " starts: leave out --metron, --doppler and --traffic-controller");
        }
    }

    private LoadSettings settings() {
        List<String> common = shippedJvmOptions ? ShippedJvmOptions.read(ShippedJvmOptions.find()) : split(jvmOptions);
        return new LoadSettings(rate, seconds, warmupSeconds, emitters, consumers, ConsumerKind.parse(consumerKinds),
                stalledConsumer, payloadBytes, batchSize,
                tickMillis, dopplerOnly,
                new RunningPipe(metronTarget, dopplerTarget, trafficControllerTarget, certsDir, metronMetrics,
                        dopplerMetrics, trafficControllerMetrics, metronPid, dopplerPid, trafficControllerPid,
                        tokenFile, tokenSigningKey, allowRemote),
                metronJar != null ? metronJar : ExecJars.find("metron-agent"),
                dopplerJar != null ? dopplerJar : ExecJars.find("doppler"),
                metronJvmOptions != null ? split(metronJvmOptions) : common,
                dopplerJvmOptions != null ? split(dopplerJvmOptions) : common,
                trafficControllerJar != null ? trafficControllerJar : ExecJars.find("traffic-controller"),
                trafficControllerJvmOptions != null ? split(trafficControllerJvmOptions) : common,
                tcClientBufferSize, tcSlowConsumerTimeoutMillis, metronBufferSize, subscriberBufferSize,
                drainQuietMillis, drainMaxSeconds, startupTimeoutSeconds,
                workDir, keepWorkDir, cold, firstWindowSeconds,
                shippedJvmOptions ? ShippedJvmOptions.ENVIRONMENT : Map.of());
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
