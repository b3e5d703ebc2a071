package dev.hydrant.metron.support;

import dev.hydrant.metron.MetronApplication;
import dev.hydrant.metron.ingress.IngressServer;
import dev.hydrant.metron.ingress.UdpIngress;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/** The metron application started as {@code main} starts it, on free ports, with a test PKI. */
public final class RunningMetron implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final TestPki pki;

    private RunningMetron(ConfigurableApplicationContext context, TestPki pki) {
        this.context = context;
        this.pki = pki;
    }

    /** Starts metron; {@code settings} override the test defaults (free ports, no self-metrics). */
    public static RunningMetron start(TestPki pki, Map<String, String> settings) {
        return new RunningMetron(MetronApplication.application().run(arguments(pki, settings)), pki);
    }

    /** The command-line arguments metron gets from {@link #start}. */
    public static String[] arguments(TestPki pki, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("hydrant.metron.port", "0");
        all.put("hydrant.metron.udp-port", "0");
        all.put("hydrant.metron.tls.cert-file", pki.metron.certFile().toString());
        all.put("hydrant.metron.tls.key-file", pki.metron.keyFile().toString());
        all.put("hydrant.metron.tls.ca-file", pki.metron.caFile().toString());
        all.put("hydrant.metron.metrics-interval", "1h");
        all.put("spring.main.banner-mode", "off");
        all.putAll(settings);
        return all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    public int ingressPort() {
        return context.getBean(IngressServer.class).port();
    }

    /** The port of the v1 UDP ingress. */
    public int udpPort() {
        return context.getBean(UdpIngress.class).port();
    }

    /** The management HTTP port (health, prometheus). */
    public int httpPort() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public Emitter emitter() {
        return new Emitter(ingressPort(), pki.emitter);
    }

    public long ingress() {
        return (long) registry().get("ingress").counter().count();
    }

    public long egress() {
        return (long) registry().get("egress").counter().count();
    }

    public long dropped(String direction) {
        return (long) registry().get("dropped").tag("direction", direction).counter().count();
    }

    public long bufferFill() {
        return (long) registry().get("buffer.fill").gauge().value();
    }

    public int dopplerConnections() {
        return (int) registry().get("doppler.connections").gauge().value();
    }

    /** The agent's one bean of this type. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public MeterRegistry registry() {
        return context.getBean(MeterRegistry.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
