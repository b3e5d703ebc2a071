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
 * <p>Stopping takes at most {@code hydrant.doppler.shutdown-grace}: new calls are refused, open
 * ingress streams end with UNAVAILABLE (so agents count or resend what this doppler would no longer
 * deliver), and open egress streams send what their subscribers' buffers hold and then complete.
 * Streams still open when the grace ends are cancelled, and what their buffers still held is
 * counted as {@code dropped{direction=egress}}. The doppler's books are logged as it stops.
 *
 * <p>A port still held by a listener that is going away (a doppler restarted on its address) is
 * tried again for {@link BindRetry#DEFAULT_PATIENCE} before start-up fails.
 */
public final class DopplerServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DopplerServer.class);
    /** Time given to cancelled calls and to the drain threads after the grace, to end. */
    private static final long AFTER_GRACE_MILLIS = 200;

    private final DopplerProperties properties;
    private final IngressService ingress;
    private final EgressService egress;
    private final RecentEnvelopesService recent;
    private final SelfMetricsEmitter selfMetrics;
    private final ExecutorService drainExecutor;
    private final MalformedRequests malformed;
    private final DopplerMetrics metrics;
    private volatile Server server;

    public DopplerServer(DopplerProperties properties, IngressService ingress, EgressService egress,
                         RecentEnvelopesService recent, SelfMetricsEmitter selfMetrics, ExecutorService drainExecutor,
                         MalformedRequests malformed, DopplerMetrics metrics) {
        this.properties = properties;
        this.ingress = ingress;
        this.egress = egress;
        this.recent = recent;
        this.selfMetrics = selfMetrics;
        this.drainExecutor = drainExecutor;
        this.malformed = malformed;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        Server built;
        try {
            built = BindRetry.start(() -> malformed.watch(GrpcTransport.server(properties.host(), properties.port(),
                            properties.tls().files(), DopplerProperties.TLS_PREFIX))
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
        long started = System.nanoTime();
        long deadline = started + properties.shutdownGrace().toNanos();
        selfMetrics.close();
        running.shutdown();
        ingress.closeAll();
        egress.completeAll();
        try {
            if (!running.awaitTermination(remainingNanos(deadline), TimeUnit.NANOSECONDS)) {
                running.shutdownNow();
                running.awaitTermination(AFTER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
            drainExecutor.shutdown();
            drainExecutor.awaitTermination(Math.max(remainingNanos(deadline),
                    TimeUnit.MILLISECONDS.toNanos(AFTER_GRACE_MILLIS)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
        drainExecutor.shutdownNow();
        log.info("doppler stopped in {} ms: ingress={} egress={} dropped.egress={} subscriber.buffer.fill={}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), (long) metrics.ingress().count(),
                (long) metrics.egress().count(), (long) metrics.droppedEgress().count(), egress.buffered());
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
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
