package dev.hydrant.trafficcontroller.support;

import com.google.protobuf.ByteString;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.tokens.TokenIssuer;
import dev.hydrant.trafficcontroller.TrafficControllerApplication;
import dev.hydrant.trafficcontroller.grpc.GrpcEgressServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A Traffic Controller in this JVM, fanning in from fake Dopplers over real mTLS, checking tokens of a test issuer. */
public final class TrafficControllerRunner implements AutoCloseable {

    public final List<FakeDoppler> dopplers = new ArrayList<>();
    public final TokenIssuer issuer;
    public final TlsFiles clientTls;
    public final TlsFiles dopplerTls;
    public final ConfigurableApplicationContext context;
    /** The CA of every certificate here, for a test that needs another peer. */
    public final CertificateAuthority ca;

    /** @param extra settings added to the defaults; a null value removes that default */
    public TrafficControllerRunner(Path dir, int dopplerCount, Map<String, Object> extra) throws Exception {
        this(dir, CertificateAuthority.create("test-ca"), dopplerCount, extra);
    }

    /**
     * The same with certificates from {@code ca}, for a test whose other peer (a Metron) must be
     * listening, with a certificate from that CA, before the Traffic Controller starts.
     */
    public TrafficControllerRunner(Path dir, CertificateAuthority ca, int dopplerCount, Map<String, Object> extra)
            throws Exception {
        this.ca = ca;
        this.dopplerTls = ca.issueFiles(dir, "doppler");
        TlsFiles tcTls = ca.issueFiles(dir, "traffic-controller");
        this.clientTls = ca.issueFiles(dir, "nozzle");
        for (int i = 0; i < dopplerCount; i++) {
            dopplers.add(new FakeDoppler(dopplerTls));
        }
        this.issuer = new TokenIssuer();
        Map<String, Object> properties = new HashMap<>(TrafficControllerApplication.BOOT_DEFAULTS);
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        String p = "hydrant.traffic-controller.";
        properties.put(p + "dopplers", dopplers.stream().map(d -> "127.0.0.1:" + d.port()).collect(Collectors.joining(",")));
        properties.put(p + "tls.cert-file", tcTls.certFile().toString());
        properties.put(p + "tls.key-file", tcTls.keyFile().toString());
        properties.put(p + "tls.ca-file", tcTls.caFile().toString());
        properties.put(p + "grpc-port", "0");
        properties.put(p + "grpc-host", "127.0.0.1");
        properties.put(p + "auth.jwk-set-uri", issuer.jwksUri());
        properties.put(p + "auth.issuer-uri", TokenIssuer.ISSUER);
        properties.put(p + "metrics.enabled", "false"); // no Metron here; a test that wants one turns it on
        properties.put(p + "drains.data-dir", dir.resolve("drains").toString());
        properties.putAll(extra);
        properties.values().removeIf(Objects::isNull); // a null in extra removes a default above
        // the issuer is not served at its own URI in tests: keys come from jwk-set-uri, iss is still checked
        this.context = new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties)
                .run();
    }

    public int httpPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public int managementPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
    }

    public int grpcPort() {
        return context.getBean(GrpcEgressServer.class).port();
    }

    public MeterRegistry meters() {
        return context.getBean(MeterRegistry.class);
    }

    public double counter(String name, String... tags) {
        var counter = meters().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The value of a gauge now, 0 when it is not registered. */
    public double gauge(String name) {
        var gauge = meters().find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** Total subscriptions the fake Dopplers see now. */
    public int dopplerSubscriptions() {
        return dopplers.stream().mapToInt(d -> d.subscribers().size()).sum();
    }

    @Override
    public void close() {
        context.close();
        dopplers.forEach(FakeDoppler::close);
        issuer.close();
    }

    public static Envelope log(String sourceId, String text, long timestamp) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId("0").setTimestamp(timestamp)
                .putTags("source_type", "APP/PROC/WEB")
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8(text)).setType(Log.Type.OUT)).build();
    }

    public static Envelope counter(String sourceId, String name, long delta, long timestamp) {
        return Envelope.newBuilder().setSourceId(sourceId).setTimestamp(timestamp)
                .setCounter(Counter.newBuilder().setName(name).setDelta(delta).setTotal(delta)).build();
    }

    public static Envelope gauge(String sourceId, String name, double value, long timestamp) {
        return Envelope.newBuilder().setSourceId(sourceId).setTimestamp(timestamp)
                .setGauge(Gauge.newBuilder().putMetrics(name, GaugeValue.newBuilder().setUnit("ms").setValue(value).build()))
                .build();
    }

    public static Envelope event(String sourceId, String title, long timestamp) {
        return Envelope.newBuilder().setSourceId(sourceId).setTimestamp(timestamp)
                .setEvent(Event.newBuilder().setTitle(title).setBody("body")).build();
    }
}
