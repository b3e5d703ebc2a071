package dev.hydrant.it.drains;

import dev.hydrant.it.Pipe;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.nozzles.syslog.SyslogNozzleApplication;
import dev.hydrant.nozzles.syslog.bindings.Drains;
import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * The syslog drain nozzle app in its own Spring context, as an operator runs it beside a Traffic Controller:
 * the firehose (SSE, its shard group) and the bindings from {@code tc} with an admin token, loopback drains
 * allowed, and Metron set (a certificate from the pipe's CA) so that loss reports go into the apps' own logs.
 */
final class SyslogNozzleNode implements AutoCloseable {

    private static final String P = "hydrant.nozzle.syslog.";

    private final ConfigurableApplicationContext context;

    private SyslogNozzleNode(Map<String, Object> properties) {
        this.context = new SpringApplicationBuilder(SyslogNozzleApplication.class)
                .properties(SyslogNozzleApplication.BOOT_DEFAULTS)
                .properties(properties)
                .initializers(SyslogNozzleNode::ownEventLoops)
                .run();
    }

    /**
     * Event loops of the nozzle's own for its web server: Boot's default factory takes the JVM's global ones and
     * disposes them when the context closes, which would stop the Traffic Controller's server in this JVM with a
     * nozzle that is stopped and started again. Boot backs off from its factory when the context has one.
     */
    private static void ownEventLoops(ConfigurableApplicationContext context) {
        ((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            factory.setShutdownQuietPeriod(Duration.ZERO);
            return factory;
        });
    }

    /**
     * @param bufferSize         messages each drain holds
     * @param lossReportInterval how often a drain's loss is told to its app
     */
    static SyslogNozzleNode start(Pipe pipe, TrafficControllerNode tc, String adminToken, int bufferSize,
                                  String lossReportInterval) {
        TlsFiles tls = pipe.clientFiles("syslog-nozzle");
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("hydrant.nozzle.url", tc.baseUrl());
        properties.put("hydrant.nozzle.token", adminToken);
        properties.put("hydrant.nozzle.batch-interval", "20ms");
        properties.put(P + "poll-interval", "200ms");
        properties.put(P + "allowed-ranges", "127.0.0.0/8");
        properties.put(P + "min-backoff", "50ms");
        properties.put(P + "buffer-size", bufferSize);
        properties.put(P + "batch-size", Math.min(100, bufferSize));
        properties.put(P + "loss-report-interval", lossReportInterval);
        properties.put(P + "metron.address", pipe.metronAddress());
        properties.put(P + "metron.cert-file", tls.certFile().toString());
        properties.put(P + "metron.key-file", tls.keyFile().toString());
        properties.put(P + "metron.ca-file", tls.caFile().toString());
        return new SyslogNozzleNode(properties);
    }

    /** Drains running now. */
    int drains() {
        return context.getBean(Drains.class).writers().size();
    }

    /** A per-drain counter ({@link DrainMetrics#WRITTEN}, {@link DrainMetrics#DROPPED}...) of the binding {@code drainId}. */
    double counter(String name, String drainId) {
        Counter counter = context.getBean(MeterRegistry.class).find(name).tag("drain", drainId).counter();
        return counter == null ? 0 : counter.count();
    }

    /** What each drain wrote, dropped and failed, for failure messages. */
    String ledger(String... drainIds) {
        StringBuilder ledger = new StringBuilder("syslog nozzle");
        for (String id : drainIds) {
            ledger.append(String.format(" drain %s written=%.0f dropped=%.0f failed=%.0f", id,
                    counter(DrainMetrics.WRITTEN, id), counter(DrainMetrics.DROPPED, id), counter(DrainMetrics.FAILED, id)));
        }
        return ledger.toString();
    }

    @Override
    public void close() {
        context.close();
    }
}
