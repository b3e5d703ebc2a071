package dev.hydrant.it.trafficcontroller;

import static org.awaitility.Awaitility.await;

import dev.hydrant.it.Pipe;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.trafficcontroller.TrafficControllerApplication;
import dev.hydrant.trafficcontroller.grpc.GrpcEgressServer;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real Traffic Controller in its own Spring context: fans in from the given Dopplers over
 * mutual TLS with a certificate from the pipe's CA, checks tokens against the public key of
 * {@link Tokens}, listens on port 0 and reads back the ports it bound. Each client's buffer has
 * {@link Pipe#ROOM_FOR_THE_RUN}, so that a healthy client loses nothing however slowly a busy machine
 * drains it, and recent logs wait {@link #RECENT_LOGS_DEADLINE} for the Dopplers, which in these tests
 * are real and answer (a test with a hung one sets its own); everything else keeps its default
 * (slow-consumer timeout 5 s).
 */
public final class TrafficControllerNode implements AutoCloseable {

    private static final String P = "hydrant.traffic-controller.";
    private static final Duration REBIND_PATIENCE = Duration.ofSeconds(10);
    /** Long enough for a real Doppler's answer on a busy machine; the default, 1 s, is not. */
    private static final Duration RECENT_LOGS_DEADLINE = Duration.ofSeconds(30);

    private final ConfigurableApplicationContext context;
    private final Pipe pipe;
    private final String name;
    private final Map<String, Object> properties;
    /** Read once started, so that they are known after {@link #close()} too. */
    private final int httpPort;
    private final int grpcPort;

    private TrafficControllerNode(Pipe pipe, String name, Map<String, Object> properties) {
        this.context = new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(TrafficControllerApplication.BOOT_DEFAULTS)
                .properties(properties)
                .run();
        this.pipe = pipe;
        this.name = name;
        this.properties = Map.copyOf(properties);
        this.httpPort = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        this.grpcPort = context.getBean(GrpcEgressServer.class).port();
    }

    public static TrafficControllerNode start(Pipe pipe, String name, List<String> dopplers, Path publicKey,
                                       Map<String, Object> overrides) {
        TlsFiles tls = pipe.clientFiles(name);
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        // streams a test leaves open must not hold the shutdown for Boot's 30 s of grace
        properties.put("server.shutdown", "immediate");
        properties.put(P + "dopplers", String.join(",", dopplers));
        properties.put(P + "tls.cert-file", tls.certFile().toString());
        properties.put(P + "tls.key-file", tls.keyFile().toString());
        properties.put(P + "tls.ca-file", tls.caFile().toString());
        properties.put(P + "grpc-host", "127.0.0.1");
        properties.put(P + "grpc-port", 0);
        properties.put(P + "auth.public-key-file", publicKey.toString());
        properties.put(P + "client-buffer-size", Pipe.ROOM_FOR_THE_RUN);
        properties.put(P + "recent-logs-deadline", RECENT_LOGS_DEADLINE.toMillis() + "ms");
        // its own metrics would join the firehose that tests compare with what the emitter sent
        properties.put(P + "metrics.enabled", false);
        // the drain bindings' embedded database, beside its certificate: a restart (startAgain) finds it again
        properties.put(P + "drains.data-dir", tls.certFile().getParent().resolve("drains").toString());
        properties.putAll(overrides);
        return new TrafficControllerNode(pipe, name, properties);
    }

    /**
     * A new Traffic Controller with the same settings on the same HTTP and gRPC ports, once this one has
     * been closed: the second half of a restart ({@link #close()} is the first). Its gRPC server retries
     * a port still in use by itself; the HTTP port (Spring Boot's web server) is tried again here, while
     * the old listener goes away, for at most {@link #REBIND_PATIENCE}.
     */
    public TrafficControllerNode startAgain() {
        if (context.isActive()) {
            throw new IllegalStateException("close " + name + " before starting it again");
        }
        Map<String, Object> again = new HashMap<>(properties);
        again.put("server.port", httpPort);
        again.put(P + "grpc-port", grpcPort);
        AtomicReference<TrafficControllerNode> started = new AtomicReference<>();
        await().atMost(REBIND_PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                started.set(new TrafficControllerNode(pipe, name, again));
                return true;
            } catch (RuntimeException e) {
                if (portInUse(e)) {
                    return false;
                }
                throw e;
            }
        });
        return started.get();
    }

    private static boolean portInUse(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException || cause.getClass().getSimpleName().equals("PortInUseException")) {
                return true;
            }
        }
        return false;
    }

    /** {@code http://127.0.0.1:port}, what clients are configured with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** {@code ws://127.0.0.1:port} + path (path may carry a query). */
    public URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + httpPort() + path);
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + httpPort() + path);
    }

    public int httpPort() {
        return httpPort;
    }

    /** A mutual-TLS channel to the v2 gRPC egress, with a client certificate from the pipe's CA. */
    ManagedChannel egressChannel(String clientName) {
        return pipe.channel(grpcPort(), name, pipe.clientFiles(clientName));
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** Sum of the Traffic Controller's meters called {@code name} with these tags (key, value...). */
    public double metric(String meterName, String... tags) {
        double total = 0;
        for (Meter meter : context.getBean(MeterRegistry.class).find(meterName).tags(tags).meters()) {
            for (Measurement measurement : meter.measure()) {
                total += measurement.getValue();
            }
        }
        return total;
    }

    /**
     * Who counted what along the pipe, for failure messages: Metron's and each Doppler's ingress,
     * egress and drops, and each Traffic Controller's ingress, egress and drops.
     */
    public static String ledger(Pipe pipe, int dopplers, TrafficControllerNode... tcs) {
        StringBuilder ledger = new StringBuilder(String.format("metron ingress=%.0f egress=%.0f dropped=%.0f",
                pipe.metronMetric("ingress"), pipe.metronMetric("egress"), pipe.metronMetric("dropped")));
        for (int i = 0; i < dopplers; i++) {
            ledger.append(String.format("; doppler-%d ingress=%.0f egress=%.0f dropped=%.0f", i,
                    pipe.dopplerMetric(i, "ingress"), pipe.dopplerMetric(i, "egress"), pipe.dopplerMetric(i, "dropped")));
        }
        for (TrafficControllerNode tc : tcs) {
            ledger.append(String.format("; %s ingress=%.0f egress=%.0f dropped=%.0f", tc.name,
                    tc.metric("ingress"), tc.metric("egress"), tc.metric("dropped")));
        }
        return ledger.toString();
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
