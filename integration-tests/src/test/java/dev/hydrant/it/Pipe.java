package dev.hydrant.it;

import dev.hydrant.doppler.DopplerApplication;
import dev.hydrant.metron.MetronApplication;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Metron + Doppler pipe on loopback: both real applications, each in its own Spring
 * context, talking gRPC over mutual TLS with certificates made for the test.
 */
final class Pipe implements AutoCloseable {

    private final CertificateAuthority ca;
    private final Path dir;
    private final Map<String, Object> dopplerProperties;
    private final Map<String, Object> metronProperties;
    private final List<ManagedChannel> channels = new ArrayList<>();
    final int dopplerPort;
    final int metronPort;
    private ConfigurableApplicationContext doppler;
    private ConfigurableApplicationContext metron;

    private Pipe(Path dir, Map<String, Object> dopplerOverrides, Map<String, Object> metronOverrides) {
        this.dir = dir;
        this.ca = CertificateAuthority.create("it-ca");
        this.dopplerPort = freePort();
        this.metronPort = freePort();
        TlsFiles dopplerTls = ca.issueFiles(dir.resolve("doppler"), "doppler");
        TlsFiles metronTls = ca.issueFiles(dir.resolve("metron"), "metron");

        dopplerProperties = new HashMap<>();
        dopplerProperties.put("hydrant.doppler.host", "127.0.0.1");
        dopplerProperties.put("hydrant.doppler.port", dopplerPort);
        dopplerProperties.put("hydrant.doppler.tls.cert-file", dopplerTls.certFile().toString());
        dopplerProperties.put("hydrant.doppler.tls.key-file", dopplerTls.keyFile().toString());
        dopplerProperties.put("hydrant.doppler.tls.ca-file", dopplerTls.caFile().toString());
        dopplerProperties.put("server.port", 0);
        dopplerProperties.putAll(dopplerOverrides);

        metronProperties = new HashMap<>();
        metronProperties.put("hydrant.metron.port", metronPort);
        metronProperties.put("hydrant.metron.tls.cert-file", metronTls.certFile().toString());
        metronProperties.put("hydrant.metron.tls.key-file", metronTls.keyFile().toString());
        metronProperties.put("hydrant.metron.tls.ca-file", metronTls.caFile().toString());
        metronProperties.put("hydrant.metron.dopplers", "127.0.0.1:" + dopplerPort);
        metronProperties.put("server.port", 0);
        metronProperties.putAll(metronOverrides);
    }

    static Pipe start(Path dir) {
        return start(dir, Map.of(), Map.of());
    }

    static Pipe start(Path dir, Map<String, Object> dopplerOverrides, Map<String, Object> metronOverrides) {
        Pipe pipe = new Pipe(dir, dopplerOverrides, metronOverrides);
        pipe.startDoppler();
        pipe.startMetron();
        return pipe;
    }

    void startDoppler() {
        doppler = new SpringApplicationBuilder(DopplerApplication.class)
                .properties(DopplerApplication.DEFAULT_PROPERTIES)
                .properties(dopplerProperties)
                .run();
    }

    void stopDoppler() {
        doppler.close();
    }

    void startMetron() {
        metron = new SpringApplicationBuilder(MetronApplication.class)
                .properties(MetronApplication.DEFAULT_PROPERTIES)
                .properties(metronProperties)
                .run();
    }

    /** A client certificate from the pipe's CA, for emitters and subscribers. */
    TlsFiles clientFiles(String name) {
        return ca.issueFiles(dir.resolve("client-" + name), name);
    }

    ManagedChannel metronChannel() {
        return channel(metronPort, "metron", clientFiles("emitter"));
    }

    ManagedChannel dopplerChannel() {
        return channel(dopplerPort, "doppler", clientFiles("subscriber"));
    }

    ManagedChannel channel(int port, String serverName, TlsFiles files) {
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + port, serverName, files, "test.tls").build();
        channels.add(channel);
        return channel;
    }

    /**
     * The sum of every meter called {@code name} in the doppler whose tags include {@code tags}
     * (key, value, key, value...): counters by count, gauges by value. Read from the registry that
     * backs the Prometheus endpoint, so it stays readable when another context in this JVM stops.
     */
    double dopplerMetric(String name, String... tags) {
        return sum(doppler, name, tags);
    }

    double metronMetric(String name, String... tags) {
        return sum(metron, name, tags);
    }

    private static double sum(ConfigurableApplicationContext context, String name, String... tags) {
        double total = 0;
        for (Meter meter : context.getBean(MeterRegistry.class).find(name).tags(tags).meters()) {
            for (Measurement measurement : meter.measure()) {
                total += measurement.getValue();
            }
        }
        return total;
    }

    @Override
    public void close() {
        channels.forEach(channel -> GrpcTransport.shutdown(channel, 500));
        if (metron != null) {
            metron.close();
        }
        if (doppler != null && doppler.isActive()) {
            doppler.close();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
