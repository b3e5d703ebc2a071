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
 * The Doppler and Metron a run talks to: either started here as child processes on free
 * loopback ports with a fresh PKI, or already running at the given addresses. Closing stops
 * whatever was started here.
 */
final class Components implements AutoCloseable {

    private final HarnessPki pki;
    private final String dopplerAddress;
    private final String metronAddress;
    private final URI dopplerMetrics;
    private final URI metronMetrics;
    private final ComponentProcess doppler;
    private final ComponentProcess metron;

    private Components(HarnessPki pki, String dopplerAddress, String metronAddress, URI dopplerMetrics,
                       URI metronMetrics, ComponentProcess doppler, ComponentProcess metron) {
        this.pki = pki;
        this.dopplerAddress = dopplerAddress;
        this.metronAddress = metronAddress;
        this.dopplerMetrics = dopplerMetrics;
        this.metronMetrics = metronMetrics;
        this.doppler = doppler;
        this.metron = metron;
    }

    /** The components named by {@code settings}: started and healthy, or the running ones. */
    static Components open(LoadSettings settings, Path workDir) throws IOException, InterruptedException {
        if (!settings.startsComponents()) {
            return new Components(HarnessPki.existing(settings.certsDir()), settings.dopplerTarget(),
                    settings.metronTarget(), settings.dopplerMetrics(), settings.metronMetrics(), null, null);
        }
        HarnessPki pki = HarnessPki.generate(workDir.resolve("certs"));
        int[] ports = freePorts(4);
        List<String> dopplerArgs = new ArrayList<>(List.of(
                "--hydrant.doppler.host=127.0.0.1", "--hydrant.doppler.port=" + ports[0], "--server.port=" + ports[1]));
        dopplerArgs.addAll(tlsArguments("hydrant.doppler.tls", pki.doppler()));
        if (settings.subscriberBufferSize() != null) {
            dopplerArgs.add("--hydrant.doppler.subscriber-buffer-size=" + settings.subscriberBufferSize());
        }
        ComponentProcess doppler = null;
        ComponentProcess metron = null;
        try {
            doppler = ComponentProcess.start("doppler", settings.dopplerJar(), settings.dopplerJvmOptions(),
                    dopplerArgs, ports[1], workDir);
            if (!settings.dopplerOnly()) {
                List<String> metronArgs = new ArrayList<>(List.of("--hydrant.metron.port=" + ports[2],
                        "--hydrant.metron.dopplers=127.0.0.1:" + ports[0], "--server.port=" + ports[3]));
                metronArgs.addAll(tlsArguments("hydrant.metron.tls", pki.metron()));
                if (settings.metronBufferSize() != null) {
                    metronArgs.add("--hydrant.metron.buffer-size=" + settings.metronBufferSize());
                }
                metron = ComponentProcess.start("metron-agent", settings.metronJar(), settings.metronJvmOptions(),
                        metronArgs, ports[3], workDir);
            }
            Duration startup = Duration.ofSeconds(settings.startupTimeoutSeconds());
            doppler.awaitHealthy(startup);
            if (metron != null) {
                metron.awaitHealthy(startup);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly(metron);
            closeQuietly(doppler);
            throw e;
        }
        return new Components(pki, "127.0.0.1:" + ports[0], metron == null ? null : "127.0.0.1:" + ports[2],
                doppler.prometheusUri(), metron == null ? null : metron.prometheusUri(), doppler, metron);
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

    OptionalLong dopplerPeakRssMb() {
        return doppler == null ? OptionalLong.empty() : doppler.peakRssMb();
    }

    OptionalLong metronPeakRssMb() {
        return metron == null ? OptionalLong.empty() : metron.peakRssMb();
    }

    List<String> dopplerJvmOptions() {
        return doppler == null ? List.of() : doppler.jvmOptions();
    }

    List<String> metronJvmOptions() {
        return metron == null ? List.of() : metron.jvmOptions();
    }

    @Override
    public void close() {
        closeQuietly(metron);
        closeQuietly(doppler);
    }

    private static void closeQuietly(ComponentProcess process) {
        if (process != null) {
            process.close();
        }
    }
}
