package dev.hydrant.doppler.config;

import dev.hydrant.doppler.cache.RecentEnvelopeCache;
import dev.hydrant.doppler.cache.RecentEnvelopesService;
import dev.hydrant.doppler.egress.EgressService;
import dev.hydrant.doppler.egress.EgressSettings;
import dev.hydrant.doppler.ingress.Intake;
import dev.hydrant.doppler.ingress.IngressService;
import dev.hydrant.doppler.routing.Router;
import dev.hydrant.plumbing.config.InstanceId;
import dev.hydrant.plumbing.metrics.SelfMetricsEmitter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The doppler's composition root: ingress -> (cache, router) -> per-subscriber drop-oldest
 * buffers -> egress streams, on one mutual-TLS gRPC server.
 *
 * <p>Buffers: one per egress subscriber, {@code hydrant.doppler.subscriber-buffer-size} envelopes and
 * {@code hydrant.doppler.subscriber-buffer-bytes} (all of them together at most
 * {@code hydrant.doppler.egress-buffer-bytes}), drop oldest, every loss counted as
 * {@code dropped{direction=egress}}. There is no ingress queue:
 * batches are routed on the gRPC thread that received them. The drain executor's queue holds at
 * most one task per open subscription ({@code hydrant.doppler.max-subscriptions}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DopplerProperties.class)
public class DopplerConfiguration {

    /** Source id of the doppler's own envelopes. */
    public static final String SOURCE_ID = "doppler";
    /** Origin tag of the doppler's own envelopes. */
    public static final String ORIGIN = "loggregator.doppler";

    @Bean
    DopplerMetrics dopplerMetrics(MeterRegistry registry) {
        return DopplerMetrics.register(registry);
    }

    @Bean
    Router router(DopplerProperties properties) {
        return new Router(properties.maxSubscriptions());
    }

    @Bean
    RecentEnvelopeCache recentEnvelopeCache(DopplerProperties properties) {
        DopplerProperties.Cache cache = properties.cache();
        return new RecentEnvelopeCache(cache.perSource(), cache.maxBytes(), cache.maxSources());
    }

    @Bean
    Intake intake(Router router, RecentEnvelopeCache cache, DopplerMetrics metrics) {
        return new Intake(router, cache, metrics.ingress());
    }

    @Bean(destroyMethod = "")
    ExecutorService egressDrainExecutor() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        // Unbounded in type only: each subscriber has at most one drain task queued or running.
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "doppler-egress-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    EgressService egressService(DopplerProperties properties, Router router, ExecutorService egressDrainExecutor,
                                DopplerMetrics metrics, RecentEnvelopeCache cache, MeterRegistry registry) {
        EgressService egress = new EgressService(router,
                new EgressSettings(properties.subscriberBufferSize(), properties.subscriberBufferBytes(),
                        properties.egressBufferBytes(), properties.batchSize(), properties.subscriberWriteBufferBytes()),
                egressDrainExecutor, metrics.egress(), metrics.droppedEgress());
        DopplerMetrics.registerGauges(registry, router::subscriptions, egress::buffered, cache::sources, cache::bytes);
        return egress;
    }

    @Bean
    IngressService ingressService(Intake intake) {
        return new IngressService(intake);
    }

    @Bean
    RecentEnvelopesService recentEnvelopesService(RecentEnvelopeCache cache) {
        return new RecentEnvelopesService(cache);
    }

    @Bean(destroyMethod = "close")
    SelfMetricsEmitter selfMetricsEmitter(MeterRegistry registry, DopplerProperties properties, Intake intake) {
        return new SelfMetricsEmitter(registry, DopplerMetrics.EMITTED, SOURCE_ID,
                InstanceId.resolve(properties.instanceId()),
                Map.of("origin", ORIGIN), intake::acceptOwn, Clock.systemUTC());
    }

    @Bean
    DopplerServer dopplerServer(DopplerProperties properties, IngressService ingress, EgressService egress,
                                RecentEnvelopesService recent, SelfMetricsEmitter selfMetrics,
                                ExecutorService egressDrainExecutor, DopplerMetrics metrics) {
        properties.tls().files().validate(DopplerProperties.TLS_PREFIX);
        return new DopplerServer(properties, ingress, egress, recent, selfMetrics, egressDrainExecutor,
                metrics.malformedRequests(), metrics);
    }
}
