package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hydrant component (doppler, metron or traffic controller) run from its executable jar as a
 * child process of the harness, with its output in a log file. Its servers listen on port 0 and
 * the ports they bound are read back from that log: the web servers' ("Netty started on port N")
 * and, by a pattern, a gRPC server's. It is healthy once {@code /actuator/health} answers UP on
 * one of its web servers, which is then its management port; it is always stopped: SIGTERM,
 * then a forced kill after a grace, on {@link #close} or, if the harness is interrupted, from a
 * JVM shutdown hook.
 */
final class ComponentProcess implements AutoCloseable {

    private static final Pattern WEB_SERVER = Pattern.compile("Netty started on port (\\d+)");

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile int managementPort = -1;
    private final ComponentLaunch launch;
    private final Thread shutdownHook;
    private final StartupWatch startup;

    private ComponentProcess(String name, Process process, long execNanos, Path logFile, ComponentLaunch launch,
                             Pattern listenPattern) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.launch = launch;
        this.shutdownHook = new Thread(this::stop, "load-harness-stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.startup = new StartupWatch(execNanos, this::log, listenPattern, process::isAlive);
        Thread watch = new Thread(startup, "load-harness-startup-" + name);
        watch.setDaemon(true);
        watch.start();
    }

    /** Starts {@code java <jvmOptions> -jar <jar> <arguments>} with the same java as the harness. */
    static ComponentProcess start(String name, Path jar, List<String> jvmOptions, List<String> arguments,
                                  Path workDir) throws IOException {
        return start(name, jar, jvmOptions, arguments, workDir, Map.of());
    }

    /** The same, with {@code environment} added to the harness's own environment. */
    static ComponentProcess start(String name, Path jar, List<String> jvmOptions, List<String> arguments,
                                  Path workDir, Map<String, String> environment) throws IOException {
        return start(name, jar, jvmOptions, arguments, workDir, environment, null);
    }

    /**
     * The same, timing start-up from the exec: {@code listenPattern} (group 1 the port, or null) finds its main
     * server's port in its log, whose first accepted TCP connection {@link #millisToAccept} tells.
     */
    static ComponentProcess start(String name, Path jar, List<String> jvmOptions, List<String> arguments,
                                  Path workDir, Map<String, String> environment, Pattern listenPattern)
            throws IOException {
        Objects.requireNonNull(jar, "jar");
        return start(name, ComponentLaunch.plain(jar, jvmOptions), arguments, workDir, environment, listenPattern);
    }

    /** The same, executed as {@code launch} says: by its java, from its jar, with its JVM options. */
    static ComponentProcess start(String name, ComponentLaunch launch, List<String> arguments, Path workDir,
                                  Map<String, String> environment, Pattern listenPattern) throws IOException {
        if (!Files.isRegularFile(launch.jar())) {
            throw new IllegalStateException("the " + name + " exec jar " + launch.jar() + " does not exist;"
                    + " build it with: cd " + name + " && ../mvnw -B -q install -DskipTests");
        }
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(launch.command(arguments))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long execNanos = System.nanoTime();
        Process process = builder.start();
        return new ComponentProcess(name, process, execNanos, log, launch, listenPattern);
    }

    /**
     * Waits until {@code webServers} web servers have started and one of them reports UP on
     * {@code /actuator/health}, which becomes the management port; fails with the end of the log
     * if the component dies or takes too long.
     */
    void awaitHealthy(Duration timeout, int webServers) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            failIfDead();
            int up = startup.upPort();
            if (startup.webPorts().size() >= webServers && up > 0) {
                managementPort = up;
                return;
            }
            TimeUnit.MILLISECONDS.sleep(StartupWatch.POLL_MILLIS);
        }
        throw new IllegalStateException(name + " was not healthy on any of its web servers " + webServerPorts()
                + " within " + timeout + "; end of " + logFile + ":\n" + logTail());
    }

    /**
     * The port in the first line of the log that {@code pattern} (whose group 1 is the port) matches,
     * waited for; fails with the end of the log if the component dies or takes too long.
     */
    int awaitLoggedPort(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            failIfDead();
            Matcher matcher = pattern.matcher(log());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            TimeUnit.MILLISECONDS.sleep(StartupWatch.POLL_MILLIS);
        }
        throw new IllegalStateException(name + " logged no line matching '" + pattern + "' within " + timeout
                + "; end of " + logFile + ":\n" + logTail());
    }

    /** The ports of the web servers started so far, in the order they started. */
    List<Integer> webServerPorts() {
        List<Integer> ports = new ArrayList<>();
        Matcher matcher = WEB_SERVER.matcher(log());
        while (matcher.find()) {
            ports.add(Integer.parseInt(matcher.group(1)));
        }
        return ports;
    }

    /** Milliseconds from exec until {@code port} first accepted a TCP connection, if it has (start-up is watched). */
    OptionalLong millisToAccept(int port) {
        return startup.millisToAccept(port);
    }

    /** Milliseconds from exec until its management port first answered UP, once {@link #awaitHealthy} returned. */
    OptionalLong millisToHealthy() {
        return managementPort < 0 ? OptionalLong.empty() : startup.millisToUp(managementPort);
    }

    /** Ends the watch of its start-up (the figures taken stay). */
    void startupOver() {
        startup.stop();
    }

    /** The management port found by {@link #awaitHealthy}. */
    int managementPort() {
        if (managementPort < 0) {
            throw new IllegalStateException(name + " has not been found healthy yet");
        }
        return managementPort;
    }

    private void failIfDead() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue()
                    + " during start-up; end of " + logFile + ":\n" + logTail());
        }
    }

    private String log() {
        try {
            // decoded leniently: the last line may be cut in the middle of a character
            return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The Prometheus endpoint of this component. */
    URI prometheusUri() {
        return URI.create("http://127.0.0.1:" + managementPort() + "/actuator/prometheus");
    }

    /** Peak resident set size so far (VmHWM), in MiB, if the process is alive and /proc shows it. */
    OptionalLong peakRssMb() {
        return PeakRss.ofPid(process.pid());
    }

    /** The operating-system process id. */
    long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    String name() {
        return name;
    }

    List<String> jvmOptions() {
        return launch.jvmOptions();
    }

    /** How it was executed. */
    ComponentLaunch launch() {
        return launch;
    }

    /** Its log file. */
    Path logFile() {
        return logFile;
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
        startup.stop();
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
            if (!process.waitFor(launch.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(ComponentLaunch.STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
