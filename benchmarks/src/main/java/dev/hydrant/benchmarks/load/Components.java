package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.tls.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The Doppler, Metron and Traffic Controller a run talks to: either started here as child
 * processes listening on port 0 on loopback (the ports they bound read back from their logs) with a fresh PKI (and, for the Traffic Controller, a fresh
 * token key), their start-up timed from exec, or already running at the given addresses
 * ({@link RunningPipe}). Closing stops whatever was started here.
 */
final class Components implements AutoCloseable {

    /** What the Doppler logs once its gRPC server listens, with the port it bound. */
    private static final Pattern DOPPLER_GRPC = Pattern.compile("doppler gRPC .*listening on \\S+:(\\d+)");
    /** What Metron logs once its v2 ingress listens, with the port it bound. */
    private static final Pattern METRON_GRPC = Pattern.compile("metron ingress listening on \\S+:(\\d+)");

    /** Longer than any run: the Traffic Controller must not end an SSE stream mid-run. */
    private static final String SSE_STREAM_TIMEOUT = "3h";

    private final HarnessPki pki;
    private final String dopplerAddress;
    private final String metronAddress;
    private final URI dopplerMetrics;
    private final URI metronMetrics;
    private final ComponentProcess doppler;
    private final ComponentProcess metron;
    private final ComponentProcess trafficController;
    private final URI trafficControllerUri;
    private final URI trafficControllerMetrics;
    private final String adminToken;
    private final List<Hop> hops;
    private final long execNanos;
    private final long readyNanos = System.nanoTime();

    private Components(HarnessPki pki, String dopplerAddress, String metronAddress, URI dopplerMetrics,
                       URI metronMetrics, ComponentProcess doppler, ComponentProcess metron,
                       ComponentProcess trafficController, URI trafficControllerUri, URI trafficControllerMetrics,
                       String adminToken, List<Hop> hops, long execNanos) {
        this.pki = pki;
        this.dopplerAddress = dopplerAddress;
        this.metronAddress = metronAddress;
        this.dopplerMetrics = dopplerMetrics;
        this.metronMetrics = metronMetrics;
        this.doppler = doppler;
        this.metron = metron;
        this.trafficController = trafficController;
        this.trafficControllerUri = trafficControllerUri;
        this.trafficControllerMetrics = trafficControllerMetrics;
        this.adminToken = adminToken;
        this.hops = List.copyOf(hops);
        this.execNanos = execNanos;
    }

    /** The components named by {@code settings}: started (with its environment) and healthy, or the running ones. */
    static Components open(LoadSettings settings, Path workDir) throws IOException, InterruptedException {
        return open(settings, workDir, settings.environment());
    }

    /** The same, each started component with {@code environment} added to the harness's. */
    static Components open(LoadSettings settings, Path workDir, Map<String, String> environment)
            throws IOException, InterruptedException {
        return open(settings, workDir, environment, Launcher.plain(ComponentJava.harness()));
    }

    /** The same, each started component executed as {@code launcher} says (its java, its start-up cache). */
    static Components open(LoadSettings settings, Path workDir, Map<String, String> environment, Launcher launcher)
            throws IOException, InterruptedException {
        if (!settings.startsComponents()) {
            return running(settings.running());
        }
        HarnessPki pki = HarnessPki.generate(workDir.resolve("certs"));
        List<String> dopplerArgs = new ArrayList<>(List.of(
                "--hydrant.doppler.host=127.0.0.1", "--hydrant.doppler.port=0", "--server.port=0"));
        dopplerArgs.addAll(tlsArguments("hydrant.doppler.tls", pki.doppler()));
        if (settings.subscriberBufferSize() != null) {
            dopplerArgs.add("--hydrant.doppler.subscriber-buffer-size=" + settings.subscriberBufferSize());
        }
        Duration startup = Duration.ofSeconds(settings.startupTimeoutSeconds());
        ComponentProcess doppler = null;
        ComponentProcess metron = null;
        ComponentProcess trafficController = null;
        AdminToken token = null;
        long execNanos = System.nanoTime();
        try {
            ComponentLaunch dopplerLaunch = launcher.launch("doppler", settings.dopplerJar(),
                    settings.dopplerJvmOptions());
            ComponentLaunch metronLaunch = settings.dopplerOnly() ? null
                    : launcher.launch("metron-agent", settings.metronJar(), settings.metronJvmOptions());
            ComponentLaunch trafficControllerLaunch = !settings.usesTrafficController() ? null
                    : launcher.launch("traffic-controller", settings.trafficControllerJar(),
                    settings.trafficControllerJvmOptions());
            execNanos = System.nanoTime();
            doppler = ComponentProcess.start("doppler", dopplerLaunch, dopplerArgs, workDir, environment,
                    DOPPLER_GRPC);
            // Metron and the Traffic Controller are told the port the Doppler bound
            String dopplerAddress = "127.0.0.1:" + doppler.awaitLoggedPort(DOPPLER_GRPC, startup);
            if (!settings.dopplerOnly()) {
                List<String> metronArgs = new ArrayList<>(List.of("--hydrant.metron.port=0",
                        "--hydrant.metron.udp-port=0",
                        "--hydrant.metron.dopplers=" + dopplerAddress, "--server.port=0"));
                metronArgs.addAll(tlsArguments("hydrant.metron.tls", pki.metron()));
                if (settings.metronBufferSize() != null) {
                    metronArgs.add("--hydrant.metron.buffer-size=" + settings.metronBufferSize());
                }
                metron = ComponentProcess.start("metron-agent", metronLaunch, metronArgs, workDir, environment,
                        METRON_GRPC);
            }
            if (settings.usesTrafficController()) {
                token = AdminToken.issue(workDir.resolve("certs"));
                trafficController = ComponentProcess.start("traffic-controller", trafficControllerLaunch,
                        trafficControllerArguments(settings, pki, token, dopplerAddress), workDir, environment,
                        null);
            }
            doppler.awaitHealthy(startup, 1);
            String metronAddress = null;
            if (metron != null) {
                metron.awaitHealthy(startup, 1);
                metronAddress = "127.0.0.1:" + metron.awaitLoggedPort(METRON_GRPC, startup);
            }
            URI trafficControllerUri = null;
            if (trafficController != null) {
                // its public HTTP server and its management server: the one that is not the management port
                trafficController.awaitHealthy(startup, 2);
                int managementPort = trafficController.managementPort();
                int httpPort = trafficController.webServerPorts().stream().filter(port -> port != managementPort)
                        .findFirst().orElseThrow();
                trafficControllerUri = URI.create("http://127.0.0.1:" + httpPort);
            }
            long deadline = System.nanoTime() + startup.toNanos();
            List<Hop> hops = new ArrayList<>();
            if (metron != null) {
                hops.add(startedHop("metron", metron, portOf(metronAddress), deadline));
            }
            hops.add(startedHop("doppler", doppler, portOf(dopplerAddress), deadline));
            if (trafficController != null) {
                hops.add(startedHop("traffic_controller", trafficController, trafficControllerUri.getPort(),
                        deadline));
            }
            return new Components(pki, dopplerAddress, metronAddress, doppler.prometheusUri(),
                    metron == null ? null : metron.prometheusUri(), doppler, metron, trafficController,
                    trafficControllerUri, trafficController == null ? null : trafficController.prometheusUri(),
                    token == null ? null : token.token(), hops, execNanos);
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly(trafficController);
            closeQuietly(metron);
            closeQuietly(doppler);
            throw e;
        }
    }

    /** The running components of {@code pipe}, with the admin token read or signed. */
    private static Components running(RunningPipe pipe) throws IOException {
        return new Components(pipe.certsDir() == null ? null : HarnessPki.existing(pipe.certsDir()), pipe.doppler(),
                pipe.metron(), pipe.dopplerMetrics(), pipe.metronMetrics(), null, null, null,
                pipe.trafficController(), pipe.trafficControllerMetrics(), pipe.adminToken(), pipe.hops(), 0);
    }

    /**
     * A started component's hop, once its main port accepted a connection (the start-up watch tries it
     * every 20 ms from exec); its start-up watch ends here.
     */
    private static Hop startedHop(String name, ComponentProcess process, int mainPort, long deadline)
            throws InterruptedException {
        while (process.millisToAccept(mainPort).isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(StartupWatch.POLL_MILLIS);
        }
        process.startupOver();
        return new Hop(name, process.prometheusUri(), process.pid(), process.millisToAccept(mainPort),
                process.millisToHealthy(), process.jvmOptions(), process.launch().java().describe(),
                process.launch().startCache());
    }

    private static int portOf(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /**
     * The Traffic Controller's settings: the one Doppler, its certificate towards it (and for its
     * gRPC egress, on a port of its choosing), the public HTTP listener and the management port on
     * loopback, the token key, and the client buffer and slow-consumer cut-off when asked.
     */
    private static List<String> trafficControllerArguments(LoadSettings settings, HarnessPki pki, AdminToken token,
                                                           String dopplerAddress) {
        String prefix = "--hydrant.traffic-controller.";
        List<String> args = new ArrayList<>(List.of(
                prefix + "dopplers=" + dopplerAddress,
                prefix + "grpc-host=127.0.0.1",
                prefix + "grpc-port=0",
                prefix + "auth.public-key-file=" + token.publicKeyFile().toAbsolutePath(),
                prefix + "sse-stream-timeout=" + SSE_STREAM_TIMEOUT,
                prefix + "metrics.enabled=false",
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--management.server.address=127.0.0.1",
                "--management.server.port=0"));
        args.addAll(tlsArguments("hydrant.traffic-controller.tls", pki.trafficController()));
        if (settings.tcClientBufferSize() != null) {
            args.add(prefix + "client-buffer-size=" + settings.tcClientBufferSize());
        }
        if (settings.tcSlowConsumerTimeoutMillis() != null) {
            args.add(prefix + "slow-consumer-timeout=" + settings.tcSlowConsumerTimeoutMillis() + "ms");
        }
        return args;
    }

    private static List<String> tlsArguments(String prefix, TlsFiles files) {
        return List.of("--" + prefix + ".cert-file=" + files.certFile().toAbsolutePath(),
                "--" + prefix + ".key-file=" + files.keyFile().toAbsolutePath(),
                "--" + prefix + ".ca-file=" + files.caFile().toAbsolutePath());
    }

    TlsFiles clientTls() {
        return pki.client();
    }

    String dopplerAddress() {
        return dopplerAddress;
    }

    /** Metron's address, or null in a doppler-only run. */
    String metronAddress() {
        return metronAddress;
    }

    /** Doppler's Prometheus endpoint, or null if unknown. */
    URI dopplerMetrics() {
        return dopplerMetrics;
    }

    /** Metron's Prometheus endpoint, or null if unknown or not in this run. */
    URI metronMetrics() {
        return metronMetrics;
    }

    /** The Traffic Controller's public HTTP base ({@code http://127.0.0.1:port}), or null if not in this run. */
    URI trafficControllerUri() {
        return trafficControllerUri;
    }

    /** The Traffic Controller's Prometheus endpoint, or null if not in this run or unknown. */
    URI trafficControllerMetrics() {
        return trafficControllerMetrics;
    }

    /** The admin bearer token the Traffic Controller accepts, or null if not in this run. */
    String adminToken() {
        return adminToken;
    }

    /** The components of the run (Metron, Doppler, Traffic Controller; those known), as the harness measures them. */
    List<Hop> hops() {
        return hops;
    }

    /** System.nanoTime() when every component was found healthy and listening (or, if running, found). */
    long readyNanos() {
        return readyNanos;
    }

    /** System.nanoTime() just before the first component was executed; 0 if none was started here. */
    long execNanos() {
        return execNanos;
    }

    OptionalLong dopplerPeakRssMb() {
        return doppler == null ? OptionalLong.empty() : doppler.peakRssMb();
    }

    OptionalLong metronPeakRssMb() {
        return metron == null ? OptionalLong.empty() : metron.peakRssMb();
    }

    OptionalLong trafficControllerPeakRssMb() {
        return trafficController == null ? OptionalLong.empty() : trafficController.peakRssMb();
    }

    List<String> dopplerJvmOptions() {
        return doppler == null ? List.of() : doppler.jvmOptions();
    }

    List<String> metronJvmOptions() {
        return metron == null ? List.of() : metron.jvmOptions();
    }

    List<String> trafficControllerJvmOptions() {
        return trafficController == null ? List.of() : trafficController.jvmOptions();
    }

    /** The started components (Metron, Doppler, Traffic Controller, those in this run), by name. */
    List<ComponentProcess> started() {
        List<ComponentProcess> all = new ArrayList<>();
        for (ComponentProcess process : new ComponentProcess[] {metron, doppler, trafficController}) {
            if (process != null) {
                all.add(process);
            }
        }
        return all;
    }

    @Override
    public void close() {
        closeQuietly(trafficController);
        closeQuietly(metron);
        closeQuietly(doppler);
    }

    private static void closeQuietly(ComponentProcess process) {
        if (process != null) {
            process.close();
        }
    }
}
