package dev.hydrant.it;

import dev.hydrant.doppler.DopplerApplication;
import dev.hydrant.doppler.config.DopplerServer;
import dev.hydrant.metron.MetronApplication;
import dev.hydrant.metron.ingress.IngressServer;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Metron + Doppler pipe on loopback: the real applications, each in its own Spring
 * context, talking gRPC over mutual TLS with certificates made for the test. One Doppler by
 * default; with more, Metron spreads over all of them. Buffers have {@link #ROOM_FOR_THE_RUN}.
 */
public final class Pipe implements AutoCloseable {

    /**
     * Envelopes that Metron's buffer and each Doppler subscriber's buffer hold unless a test says
     * otherwise: room for everything a test sends, so that "everything sent is received" holds
     * however slowly a busy machine drains the pipe. A test that wants drops sets smaller ones.
     */
    public static final int ROOM_FOR_THE_RUN = 100_000;

    private final CertificateAuthority ca;
    private final Path dir;
    private final List<Map<String, Object>> dopplerProperties = new ArrayList<>();
    private final Map<String, Object> metronProperties = new HashMap<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    /** Port of the first Doppler, as it bound it. */
    int dopplerPort;
    /** Metron's v2 ingress port, as it bound it. */
    int metronPort;
    private final List<Integer> dopplerPorts = new ArrayList<>();
    private final List<ConfigurableApplicationContext> dopplers = new ArrayList<>();
    private ConfigurableApplicationContext metron;

    /**
     * Every component listens on port 0 and the pipe reads back the port it bound; a Doppler started
     * again keeps the port it had (its server retries the bind while the old listener goes away).
     */
    private Pipe(Path dir, int dopplerCount, Map<String, Object> dopplerOverrides, Map<String, Object> metronOverrides) {
        if (dopplerCount < 1) {
            throw new IllegalArgumentException("dopplerCount must be at least 1");
        }
        this.dir = dir;
        this.ca = CertificateAuthority.create("it-ca");
        for (int i = 0; i < dopplerCount; i++) {
            TlsFiles tls = ca.issueFiles(dir.resolve(i == 0 ? "doppler" : "doppler-" + i), "doppler");
            Map<String, Object> properties = new HashMap<>();
            properties.put("hydrant.doppler.host", "127.0.0.1");
            properties.put("hydrant.doppler.port", 0);
            properties.put("hydrant.doppler.instance-id", "doppler-" + i);
            properties.put("hydrant.doppler.tls.cert-file", tls.certFile().toString());
            properties.put("hydrant.doppler.tls.key-file", tls.keyFile().toString());
            properties.put("hydrant.doppler.tls.ca-file", tls.caFile().toString());
            properties.put("hydrant.doppler.subscriber-buffer-size", ROOM_FOR_THE_RUN);
            properties.put("server.port", 0);
            properties.putAll(dopplerOverrides);
            dopplerProperties.add(properties);
            dopplerPorts.add(0);
            dopplers.add(null);
        }
        TlsFiles metronTls = ca.issueFiles(dir.resolve("metron"), "metron");
        metronProperties.put("hydrant.metron.port", 0);
        metronProperties.put("hydrant.metron.udp-port", 0);
        metronProperties.put("hydrant.metron.tls.cert-file", metronTls.certFile().toString());
        metronProperties.put("hydrant.metron.tls.key-file", metronTls.keyFile().toString());
        metronProperties.put("hydrant.metron.tls.ca-file", metronTls.caFile().toString());
        metronProperties.put("hydrant.metron.buffer-size", ROOM_FOR_THE_RUN);
        metronProperties.put("server.port", 0);
        metronProperties.putAll(metronOverrides);
    }

    public static Pipe start(Path dir) {
        return start(dir, Map.of(), Map.of());
    }

    public static Pipe start(Path dir, Map<String, Object> dopplerOverrides, Map<String, Object> metronOverrides) {
        return start(dir, 1, dopplerOverrides, metronOverrides);
    }

    /** Starts {@code dopplerCount} Dopplers and one Metron that forwards to all of them. */
    public static Pipe start(Path dir, int dopplerCount, Map<String, Object> dopplerOverrides,
                             Map<String, Object> metronOverrides) {
        Pipe pipe = new Pipe(dir, dopplerCount, dopplerOverrides, metronOverrides);
        try {
            for (int i = 0; i < dopplerCount; i++) {
                pipe.startDoppler(i);
            }
            pipe.startMetron();
        } catch (RuntimeException e) {
            pipe.close();
            throw e;
        }
        return pipe;
    }

    /** Starts the first Doppler (again). */
    void startDoppler() {
        startDoppler(0);
    }

    /**
     * Stops the first Doppler; returns its meter registry, which still answers for what it counted
     * until it stopped.
     */
    MeterRegistry stopDoppler() {
        MeterRegistry registry = dopplers.get(0).getBean(MeterRegistry.class);
        dopplers.get(0).close();
        return registry;
    }

    private void startDoppler(int index) {
        ConfigurableApplicationContext doppler = new SpringApplicationBuilder(DopplerApplication.class)
                .properties(DopplerApplication.DEFAULT_PROPERTIES)
                .properties(dopplerProperties.get(index))
                .run();
        dopplers.set(index, doppler);
        int port = doppler.getBean(DopplerServer.class).port();
        // started again, it comes back on the same address, as Metron and Traffic Controllers know it
        dopplerProperties.get(index).put("hydrant.doppler.port", port);
        dopplerPorts.set(index, port);
        if (index == 0) {
            dopplerPort = port;
        }
    }

    /** Starts Metron (again), forwarding to every Doppler; started again, it keeps its port. */
    void startMetron() {
        metronProperties.putIfAbsent("hydrant.metron.dopplers", String.join(",", dopplerAddresses()));
        metron = new SpringApplicationBuilder(MetronApplication.class)
                .properties(MetronApplication.DEFAULT_PROPERTIES)
                .properties(metronProperties)
                .run();
        metronPort = metron.getBean(IngressServer.class).port();
        metronProperties.put("hydrant.metron.port", metronPort);
    }

    /** Every Doppler as {@code 127.0.0.1:port}, as components are configured with them. */
    public List<String> dopplerAddresses() {
        return dopplerPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.toList());
    }

    /**
     * A certificate (with its key and the CA) from the pipe's CA, valid for {@code name},
     * localhost and 127.0.0.1: for emitters, subscribers and further components.
     */
    public TlsFiles clientFiles(String name) {
        return ca.issueFiles(dir.resolve("client-" + name), name);
    }

    /** Metron's v2 ingress as {@code 127.0.0.1:port}, as a component that sends through Metron is configured with it. */
    public String metronAddress() {
        return "127.0.0.1:" + metronPort;
    }

    public ManagedChannel metronChannel() {
        return channel(metronPort, "metron", clientFiles("emitter"));
    }

    ManagedChannel dopplerChannel() {
        return channel(dopplerPort, "doppler", clientFiles("subscriber"));
    }

    /** A mutual-TLS channel to {@code 127.0.0.1:port}, closed with the pipe. */
    public ManagedChannel channel(int port, String serverName, TlsFiles files) {
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + port, serverName, files, "test.tls").build();
        channels.add(channel);
        return channel;
    }

    /**
     * A channel to the first Doppler whose HTTP/2 receive window is {@code windowBytes}, fixed: what a
     * subscriber that never reads can hold in its transport is then known.
     */
    ManagedChannel dopplerChannelWithWindow(String clientName, int windowBytes) {
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + dopplerPort, "doppler", clientFiles(clientName),
                "test.tls").flowControlWindow(windowBytes).build();
        channels.add(channel);
        return channel;
    }

    /**
     * The sum over every Doppler of every meter called {@code name} whose tags include {@code tags}
     * (key, value, key, value...): counters by count, gauges by value. Read from the registry that
     * backs the Prometheus endpoint, so it stays readable when another context in this JVM stops.
     */
    public double dopplerMetric(String name, String... tags) {
        double total = 0;
        for (int i = 0; i < dopplers.size(); i++) {
            total += dopplerMetric(i, name, tags);
        }
        return total;
    }

    /** The same for one Doppler, by its index. */
    public double dopplerMetric(int index, String name, String... tags) {
        return sum(dopplers.get(index), name, tags);
    }

    public double metronMetric(String name, String... tags) {
        return sum(metron, name, tags);
    }

    private static double sum(ConfigurableApplicationContext context, String name, String... tags) {
        return sum(context.getBean(MeterRegistry.class), name, tags);
    }

    /** The sum of every meter called {@code name} with these tags in {@code registry}: counters by count, gauges by value. */
    static double sum(MeterRegistry registry, String name, String... tags) {
        double total = 0;
        for (Meter meter : registry.find(name).tags(tags).meters()) {
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
        for (ConfigurableApplicationContext doppler : dopplers) {
            if (doppler != null && doppler.isActive()) {
                doppler.close();
            }
        }
    }
}
