package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A Hydrant component (doppler, metron or traffic controller) run from its executable jar as a
 * child process of the harness, with its output in a log file. It is healthy once
 * {@code /actuator/health} on its management port answers UP, and is always stopped: SIGTERM,
 * then a forced kill after a grace, on {@link #close} or, if the harness is interrupted, from a
 * JVM shutdown hook.
 */
final class ComponentProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final int managementPort;
    private final List<String> jvmOptions;
    private final Thread shutdownHook;

    private ComponentProcess(String name, Process process, Path logFile, int managementPort, List<String> jvmOptions) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.managementPort = managementPort;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.shutdownHook = new Thread(this::stop, "load-harness-stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code java <jvmOptions> -jar <jar> <arguments>} with the same java as the harness.
     *
     * @param managementPort the {@code server.port} passed in {@code arguments}, polled for health
     */
    static ComponentProcess start(String name, Path jar, List<String> jvmOptions, List<String> arguments,
                                  int managementPort, Path workDir) throws IOException {
        Objects.requireNonNull(jar, "jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the " + name + " exec jar " + jar + " does not exist;"
                    + " build it with: cd " + name + " && ../mvnw -B -q install -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(arguments);
        Path log = workDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ComponentProcess(name, process, log, managementPort, jvmOptions);
    }

    /** Waits until the component reports UP; fails with the end of its log if it dies or takes too long. */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(healthUri()).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " during start-up; end of " + logFile + ":\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException(name + " was not healthy at " + healthUri() + " within " + timeout
                + "; end of " + logFile + ":\n" + logTail());
    }

    private URI healthUri() {
        return URI.create("http://127.0.0.1:" + managementPort + "/actuator/health");
    }

    /** The Prometheus endpoint of this component. */
    URI prometheusUri() {
        return URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus");
    }

    /** Peak resident set size so far (VmHWM), in MiB, if the process is alive and /proc shows it. */
    OptionalLong peakRssMb() {
        return PeakRss.ofPid(process.pid());
    }

    String name() {
        return name;
    }

    List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The last lines of the component's log. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the process: SIGTERM, then SIGKILL if it has not ended within the grace. Idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
