package dev.hydrant.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak: Metron, Doppler and the Traffic Controller started as separate processes with the
 * shipped JVM options ({@code jvm.options}), a paced load through all three for a long time, a
 * websocket firehose reader, an SSE reader of the one app, a recent-logs poller and a client that
 * connects and leaves every second; each component's resident memory sampled at a fixed interval.
 * Prints a Markdown report (what was sent and received, the drops each hop counted, the per-sample
 * memory table's file and the flatness verdict); exits 0 only if nothing was lost and every
 * component's memory stayed flat.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs Metron, Doppler and the Traffic Controller under steady load with readers and a"
                + " churning client, and checks that nothing is lost and memory stays flat.")
public final class SoakHarness implements Callable<Integer> {

    private static final Logger NETTY_SSL_LOG = Logger.getLogger("io.grpc.netty.shaded.io.netty.handler.ssl");

    @Option(names = "--minutes", defaultValue = "60", description = "How long to send (default: ${DEFAULT-VALUE}).")
    int minutes;
    @Option(names = "--rate", defaultValue = "10000", description = "Envelopes per second (default: ${DEFAULT-VALUE}).")
    long rate;
    @Option(names = "--emitters", defaultValue = "4", description = "BatchSender streams (default: ${DEFAULT-VALUE}).")
    int emitters;
    @Option(names = "--warmup-seconds", defaultValue = "60",
            description = "Send this long first, not counted, while the JVMs compile (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;
    @Option(names = "--sample-seconds", defaultValue = "60",
            description = "Memory sample interval; the criterion compares samples 11-20 with the last 10"
                    + " (default: ${DEFAULT-VALUE}).")
    int sampleSeconds;
    @Option(names = "--recent-logs-seconds", defaultValue = "5",
            description = "How often the poller reads recent logs (default: ${DEFAULT-VALUE}).")
    int recentLogsSeconds;
    @Option(names = "--churn-millis", defaultValue = "1000",
            description = "How often a client connects to the app stream and leaves (default: ${DEFAULT-VALUE}).")
    int churnMillis;
    @Option(names = "--jvm-options-file", paramLabel = "FILE",
            description = "The components' JVM options (default: the repository's jvm.options).")
    Path jvmOptionsFile;
    @Option(names = "--extra-jvm-opts", defaultValue = "",
            description = "Added after the file's options, space separated (e.g. -XX:NativeMemoryTracking=summary).")
    String extraJvmOptions;
    @Option(names = "--metron-buffer-size", description = "hydrant.metron.buffer-size (default: Metron's).")
    Integer metronBufferSize;
    @Option(names = "--doppler-subscriber-buffer-size",
            description = "hydrant.doppler.subscriber-buffer-size (default: Doppler's).")
    Integer subscriberBufferSize;
    @Option(names = "--tc-client-buffer-size",
            description = "hydrant.traffic-controller.client-buffer-size (default: the Traffic Controller's).")
    Integer tcClientBufferSize;
    @Option(names = "--tc-slow-consumer-timeout-ms",
            description = "hydrant.traffic-controller.slow-consumer-timeout in ms (default: the Traffic Controller's).")
    Integer tcSlowConsumerTimeoutMillis;
    @Option(names = "--table", paramLabel = "FILE",
            description = "Where the memory samples are appended (default: rss.md in the work directory).")
    Path table;
    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Certificates, component logs and the table (default: a new temporary directory).")
    Path workDir;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new SoakHarness())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("soak: " + e);
                    return e instanceof IllegalArgumentException ? 2 : 1;
                });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        check(minutes >= 1 && minutes * 60 <= LoadSettings.MAX_SECONDS, "--minutes", "must be 1 to "
                + LoadSettings.MAX_SECONDS / 60);
        check(sampleSeconds >= 1 && sampleSeconds <= 600, "--sample-seconds", "must be 1 to 600");
        check(recentLogsSeconds >= 1, "--recent-logs-seconds", "must be at least 1");
        check(churnMillis >= 100, "--churn-millis", "must be at least 100");
        check(warmupSeconds >= 5, "--warmup-seconds", "must be at least 5 (the warm-up proves the readers)");
        NETTY_SSL_LOG.setLevel(Level.WARNING);
        Path dir = workDir == null ? Files.createTempDirectory("hydrant-soak-") : Files.createDirectories(workDir);
        Path rssTable = table != null ? table : dir.resolve("rss.md");
        List<String> jvm = new ArrayList<>(ShippedJvmOptions.read(
                jvmOptionsFile != null ? jvmOptionsFile : ShippedJvmOptions.find()));
        Arrays.stream(extraJvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(jvm::add);
        LoadSettings settings = new LoadSettings(rate, minutes * 60, warmupSeconds, emitters, 1,
                EnumSet.of(ConsumerKind.WEBSOCKET, ConsumerKind.SSE), false, 120, 100, 10, false,
                RunningPipe.NONE,
                ExecJars.find("metron-agent"), ExecJars.find("doppler"), jvm, jvm,
                ExecJars.find("traffic-controller"), jvm, tcClientBufferSize, tcSlowConsumerTimeoutMillis,
                metronBufferSize, subscriberBufferSize,
                5_000, 120, 180, dir, true, false, 10, ShippedJvmOptions.ENVIRONMENT);
        System.err.println("soak: work directory " + dir + "; memory samples in " + rssTable);
        System.err.println("soak: component JVM options " + String.join(" ", jvm) + " with "
                + ShippedJvmOptions.ENVIRONMENT);
        SoakReport report;
        try (Components components = Components.open(settings, dir, ShippedJvmOptions.ENVIRONMENT)) {
            report = new SoakRun(settings, components, sampleSeconds, recentLogsSeconds, churnMillis, rssTable)
                    .execute();
        }
        System.out.println(report.toMarkdown());
        return report.pass() ? 0 : 1;
    }

    private static void check(boolean ok, String option, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(option + " " + problem);
        }
    }
}
