package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.tls.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The Doppler, Metron and Traffic Controller a run talks to: either started here as child
 * processes on free loopback ports with a fresh PKI (and, for the Traffic Controller, a fresh
 * token key), or, for Doppler and Metron, already running at the given addresses. Closing stops
 * whatever was started here.
 */
final class Components implements AutoCloseable {

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
    private final AdminToken adminToken;

    private Components(HarnessPki pki, String dopplerAddress, String metronAddress, URI dopplerMetrics,
                       URI metronMetrics, ComponentProcess doppler, ComponentProcess metron,
                       ComponentProcess trafficController, URI trafficControllerUri, AdminToken adminToken) {
        this.pki = pki;
        this.dopplerAddress = dopplerAddress;
        this.metronAddress = metronAddress;
        this.dopplerMetrics = dopplerMetrics;
        this.metronMetrics = metronMetrics;
        this.doppler = doppler;
        this.metron = metron;
        this.trafficController = trafficController;
        this.trafficControllerUri = trafficControllerUri;
        this.adminToken = adminToken;
    }

    /** The components named by {@code settings}: started and healthy, or the running ones. */
    static Components open(LoadSettings settings, Path workDir) throws IOException, InterruptedException {
        if (!settings.startsComponents()) {
            return new Components(HarnessPki.existing(settings.certsDir()), settings.dopplerTarget(),
                    settings.metronTarget(), settings.dopplerMetrics(), settings.metronMetrics(), null, null,
                    null, null, null);
        }
        HarnessPki pki = HarnessPki.generate(workDir.resolve("certs"));
        int[] ports = freePorts(6);
        String dopplerAddress = "127.0.0.1:" + ports[0];
        List<String> dopplerArgs = new ArrayList<>(List.of(
                "--hydrant.doppler.host=127.0.0.1", "--hydrant.doppler.port=" + ports[0], "--server.port=" + ports[1]));
        dopplerArgs.addAll(tlsArguments("hydrant.doppler.tls", pki.doppler()));
        if (settings.subscriberBufferSize() != null) {
            dopplerArgs.add("--hydrant.doppler.subscriber-buffer-size=" + settings.subscriberBufferSize());
        }
        ComponentProcess doppler = null;
        ComponentProcess metron = null;
        ComponentProcess trafficController = null;
        AdminToken token = null;
        try {
            doppler = ComponentProcess.start("doppler", settings.dopplerJar(), settings.dopplerJvmOptions(),
                    dopplerArgs, ports[1], workDir);
            if (!settings.dopplerOnly()) {
                List<String> metronArgs = new ArrayList<>(List.of("--hydrant.metron.port=" + ports[2],
                        "--hydrant.metron.udp-port=0",
                        "--hydrant.metron.dopplers=" + dopplerAddress, "--server.port=" + ports[3]));
                metronArgs.addAll(tlsArguments("hydrant.metron.tls", pki.metron()));
                if (settings.metronBufferSize() != null) {
                    metronArgs.add("--hydrant.metron.buffer-size=" + settings.metronBufferSize());
                }
                metron = ComponentProcess.start("metron-agent", settings.metronJar(), settings.metronJvmOptions(),
                        metronArgs, ports[3], workDir);
            }
            if (settings.usesTrafficController()) {
                token = AdminToken.issue(workDir.resolve("certs"));
                trafficController = ComponentProcess.start("traffic-controller", settings.trafficControllerJar(),
                        settings.trafficControllerJvmOptions(),
                        trafficControllerArguments(settings, pki, token, dopplerAddress, ports[4], ports[5]),
                        ports[5], workDir);
            }
            Duration startup = Duration.ofSeconds(settings.startupTimeoutSeconds());
            doppler.awaitHealthy(startup);
            if (metron != null) {
                metron.awaitHealthy(startup);
            }
            if (trafficController != null) {
                trafficController.awaitHealthy(startup);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly(trafficController);
            closeQuietly(metron);
            closeQuietly(doppler);
            throw e;
        }
        return new Components(pki, dopplerAddress, metron == null ? null : "127.0.0.1:" + ports[2],
                doppler.prometheusUri(), metron == null ? null : metron.prometheusUri(), doppler, metron,
                trafficController, trafficController == null ? null : URI.create("http://127.0.0.1:" + ports[4]),
                token);
    }

    /**
     * The Traffic Controller's settings: the one Doppler, its certificate towards it (and for its
     * gRPC egress, on a port of its choosing), the public HTTP listener and the management port on
     * loopback, the token key, and the client buffer and slow-consumer cut-off when asked.
     */
    private static List<String> trafficControllerArguments(LoadSettings settings, HarnessPki pki, AdminToken token,
                                                           String dopplerAddress, int httpPort, int managementPort) {
        String prefix = "--hydrant.traffic-controller.";
        List<String> args = new ArrayList<>(List.of(
                prefix + "dopplers=" + dopplerAddress,
                prefix + "grpc-host=127.0.0.1",
                prefix + "grpc-port=0",
                prefix + "auth.public-key-file=" + token.publicKeyFile().toAbsolutePath(),
                prefix + "sse-stream-timeout=" + SSE_STREAM_TIMEOUT,
                prefix + "metrics.enabled=false",
                "--server.address=127.0.0.1",
                "--server.port=" + httpPort,
                "--management.server.address=127.0.0.1",
                "--management.server.port=" + managementPort));
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

    /** Distinct free loopback ports, all held open until all are chosen. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
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

    /** The Traffic Controller's Prometheus endpoint, or null if not in this run. */
    URI trafficControllerMetrics() {
        return trafficController == null ? null : trafficController.prometheusUri();
    }

    /** The admin bearer token the Traffic Controller accepts, or null if not in this run. */
    String adminToken() {
        return adminToken == null ? null : adminToken.token();
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
