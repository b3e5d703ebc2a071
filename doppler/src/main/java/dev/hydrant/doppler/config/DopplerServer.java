package dev.hydrant.doppler.config;

import dev.hydrant.doppler.cache.RecentEnvelopesService;
import dev.hydrant.doppler.egress.EgressService;
import dev.hydrant.doppler.ingress.IngressService;
import dev.hydrant.plumbing.grpc.BindRetry;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.metrics.SelfMetricsEmitter;
import io.grpc.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The doppler's gRPC server (Ingress, Egress, RecentEnvelopes on one port, mutual TLS) and its
 * self-metrics, started and stopped with the application context.
 *
 * <p>Stopping is graceful: new calls are refused, open ingress streams end with UNAVAILABLE (so
 * agents count or resend what this doppler would no longer deliver), open egress streams are completed after sending
 * what their clients can still take, and running calls get {@value #GRACE_MILLIS} ms to end.
 *
 * <p>A port still held by a listener that is going away (a doppler restarted on its address) is
 * tried again for {@link BindRetry#DEFAULT_PATIENCE} before start-up fails.
 */
public final class DopplerServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DopplerServer.class);
    private static final long GRACE_MILLIS = 5_000;

    private final DopplerProperties properties;
    private final IngressService ingress;
    private final EgressService egress;
    private final RecentEnvelopesService recent;
    private final SelfMetricsEmitter selfMetrics;
    private final ExecutorService drainExecutor;
    private final MalformedRequests malformed;
    private volatile Server server;

    public DopplerServer(DopplerProperties properties, IngressService ingress, EgressService egress,
                         RecentEnvelopesService recent, SelfMetricsEmitter selfMetrics, ExecutorService drainExecutor,
                         MalformedRequests malformed) {
        this.properties = properties;
        this.ingress = ingress;
        this.egress = egress;
        this.recent = recent;
        this.selfMetrics = selfMetrics;
        this.drainExecutor = drainExecutor;
        this.malformed = malformed;
    }

    @Override
    public void start() {
        Server built;
        try {
            built = BindRetry.start(() -> GrpcTransport.server(properties.host(), properties.port(),
                            properties.tls().files(), DopplerProperties.TLS_PREFIX)
                    .addService(malformed.guard(ingress))
                    .addService(malformed.guard(egress))
                    .addService(malformed.guard(recent))
                    .build(), BindRetry.DEFAULT_PATIENCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + properties.host() + ":" + properties.port()
                    + " (hydrant.doppler.host / hydrant.doppler.port)", e);
        }
        server = built;
        selfMetrics.start(properties.metricsInterval());
        log.info("doppler gRPC (Ingress, Egress, RecentEnvelopes) listening on {}:{} with mutual TLS",
                properties.host(), built.getPort());
    }

    @Override
    public void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        server = null;
        selfMetrics.close();
        running.shutdown();
        ingress.closeAll();
        egress.completeAll();
        GrpcTransport.shutdown(running, GRACE_MILLIS);
        drainExecutor.shutdown();
        try {
            drainExecutor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainExecutor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound gRPC port (useful when the configured port is 0). */
    public int port() {
        Server running = server;
        if (running == null) {
            throw new IllegalStateException("the doppler gRPC server is not running");
        }
        return running.getPort();
    }
}
