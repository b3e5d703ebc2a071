package dev.hydrant.standalone.stack;

import dev.hydrant.doppler.DopplerApplication;
import dev.hydrant.doppler.config.DopplerServer;
import dev.hydrant.metron.MetronApplication;
import dev.hydrant.metron.ingress.IngressServer;
import dev.hydrant.metron.ingress.UdpIngress;
import dev.hydrant.plumbing.tls.DevelopmentPki;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.standalone.token.SigningKey;
import dev.hydrant.trafficcontroller.TrafficControllerApplication;
import dev.hydrant.trafficcontroller.grpc.GrpcEgressServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Doppler, the Traffic Controller and Metron, each its own Spring application context in this JVM,
 * started with the Doppler first (the others find it listening, at the port it bound, so any port
 * may be configured as 0). Each starts with its own defaults, then the standalone's (certificates
 * from the development PKI, everything on loopback, tokens checked with the development signing
 * key), then its command-line arguments. Metron also tails the {@code *.log} files of the data
 * directory's {@code demo-files/} (each file's name as its source id) and scrapes the Doppler's
 * Prometheus endpoint (source id {@value #DOPPLER_METRICS_SOURCE_ID}).
 *
 * <p>They close one after the other, each within its own {@code shutdown-grace}: Metron first, so
 * that what it holds reaches a Doppler still running, then the Traffic Controller, which finishes
 * its client streams, then the Doppler.
 *
 * <p>Each context gets event loops of its own for its HTTP servers ({@link OwnEventLoops}) rather
 * than Reactor Netty's global ones: with shared loops the first context to close would end the
 * others' servers, and only dedicated loops may end without a quiet period.
 */
public final class StandaloneStack implements AutoCloseable {

    /** The name the Traffic Controller's certificate carries besides its own, as Loggregator's gRPC egress does. */
    public static final String EGRESS_SERVER_NAME = "reverselogproxy";

    /** The source id under which Metron forwards what it scrapes from the Doppler's {@code /actuator/prometheus}. */
    public static final String DOPPLER_METRICS_SOURCE_ID = "doppler-metrics";

    private final StackSettings settings;
    private final boolean createdKeys;
    /** The order in which {@link #close()} closes the components. */
    private static final List<Component> CLOSE_ORDER = List.of(Component.METRON, Component.TRAFFIC_CONTROLLER,
            Component.DOPPLER);

    private final Map<Component, ConfigurableApplicationContext> started = new EnumMap<>(Component.class);
    private ConfigurableApplicationContext doppler;
    private ConfigurableApplicationContext trafficController;
    private ConfigurableApplicationContext metron;

    private StandaloneStack(StackSettings settings, boolean createdKeys) {
        this.settings = settings;
        this.createdKeys = createdKeys;
    }

    /** Makes the PKI and the signing key when missing, then starts the three components; on failure nothing stays running. */
    public static StandaloneStack start(StackSettings settings) {
        Objects.requireNonNull(settings, "settings");
        DevelopmentPki pki = settings.home().pki();
        boolean freshPki = !Files.isRegularFile(pki.caFile());
        TlsFiles dopplerTls = pki.filesFor("doppler");
        TlsFiles trafficControllerTls = pki.filesFor("traffic-controller", EGRESS_SERVER_NAME);
        TlsFiles metronTls = pki.filesFor("metron");
        SigningKey key = SigningKey.loadOrCreate(settings.home().signingKey(), settings.home().verificationKey());
        createDirectory(settings.home().demoFiles());

        StandaloneStack stack = new StandaloneStack(settings, freshPki || key.created());
        try {
            stack.doppler = stack.run(DopplerApplication.class, DopplerApplication.DEFAULT_PROPERTIES,
                    StandaloneDefaults.doppler(dopplerTls), Component.DOPPLER);
            stack.metron = stack.run(MetronApplication.class, MetronApplication.DEFAULT_PROPERTIES,
                    StandaloneDefaults.metron(metronTls, stack.dopplerPort(), stack.managementPort(Component.DOPPLER),
                            settings.home().demoFiles(), settings.home().metronPositions()), Component.METRON);
            stack.trafficController = stack.run(TrafficControllerApplication.class,
                    TrafficControllerApplication.BOOT_DEFAULTS,
                    StandaloneDefaults.trafficController(trafficControllerTls, stack.dopplerPort(),
                            settings.home().verificationKey(), stack.metronPort(), settings.home().drains()),
                    Component.TRAFFIC_CONTROLLER);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private ConfigurableApplicationContext run(Class<?> application, Map<String, Object> appDefaults,
                                               Map<String, Object> standaloneDefaults, Component component) {
        Map<String, Object> defaults = new HashMap<>(appDefaults);
        defaults.putAll(StandaloneDefaults.common());
        defaults.putAll(standaloneDefaults);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .properties(defaults)
                .initializers(new OwnEventLoops())
                .run(settings.argumentsOf(component));
        synchronized (started) {
            started.put(component, context);
        }
        return context;
    }

    /** Whether this start made the development CA or the token-signing key. */
    public boolean createdKeys() {
        return createdKeys;
    }

    public StackSettings settings() {
        return settings;
    }

    /** The Traffic Controller's public HTTP address: websockets, server-sent events, recent logs. */
    public String trafficControllerUrl() {
        return "http://" + address(trafficController, "server.address") + ":" + port(trafficController, "local.server.port");
    }

    /** The Traffic Controller's v2 gRPC egress port (mutual TLS). */
    public int trafficControllerGrpcPort() {
        return trafficController.getBean(GrpcEgressServer.class).port();
    }

    /** Metron's v2 gRPC ingress port (mutual TLS). */
    public int metronPort() {
        return metron.getBean(IngressServer.class).port();
    }

    /** Metron's v1 UDP ingress port, or -1 when it is turned off. */
    public int metronUdpPort() {
        return metron.getBeanProvider(UdpIngress.class).stream().mapToInt(UdpIngress::port).findFirst().orElse(-1);
    }

    /** The Doppler's gRPC port (mutual TLS), as it bound it: the one chosen when configured as 0. */
    public int dopplerPort() {
        return doppler.getBean(DopplerServer.class).port();
    }

    /** The HTTP port with {@code /actuator/health} and {@code /actuator/prometheus} of one component. */
    public int managementPort(Component component) {
        ConfigurableApplicationContext context = switch (component) {
            case DOPPLER -> doppler;
            case TRAFFIC_CONTROLLER -> trafficController;
            case METRON -> metron;
        };
        String management = context.getEnvironment().getProperty("local.management.port");
        return management != null ? Integer.parseInt(management) : port(context, "local.server.port");
    }

    /** The context of one component, for tests and tools that look inside. */
    public ConfigurableApplicationContext context(Component component) {
        return switch (component) {
            case DOPPLER -> doppler;
            case TRAFFIC_CONTROLLER -> trafficController;
            case METRON -> metron;
        };
    }

    /** Closes Metron, the Traffic Controller and the Doppler, in that order. */
    @Override
    public void close() {
        List<ConfigurableApplicationContext> toClose = new ArrayList<>();
        synchronized (started) {
            CLOSE_ORDER.stream().map(started::get).filter(Objects::nonNull).forEach(toClose::add);
            started.clear();
        }
        RuntimeException failure = null;
        for (ConfigurableApplicationContext context : toClose) {
            try {
                context.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Metron watches the directory of the files it tails: it is there from the start. */
    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    private static int port(ConfigurableApplicationContext context, String property) {
        return Integer.parseInt(Objects.requireNonNull(context.getEnvironment().getProperty(property), property));
    }

    private static String address(ConfigurableApplicationContext context, String property) {
        String address = context.getEnvironment().getProperty(property, "127.0.0.1");
        return address.equals("0.0.0.0") || address.equals("::") ? "localhost" : address;
    }
}
