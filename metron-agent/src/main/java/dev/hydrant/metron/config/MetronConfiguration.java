package dev.hydrant.metron.config;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.metron.egress.Departures;
import dev.hydrant.metron.egress.DopplerPool;
import dev.hydrant.metron.egress.DopplerPoolSettings;
import dev.hydrant.metron.egress.EgressSettings;
import dev.hydrant.metron.ingress.IngressServer;
import dev.hydrant.metron.ingress.IngressService;
import dev.hydrant.metron.ingress.UdpIngress;
import dev.hydrant.metron.ratelimit.AppLogRateLimiter;
import dev.hydrant.metron.tagging.CounterTotals;
import dev.hydrant.metron.tagging.EnvelopeTagger;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.plumbing.config.InstanceId;
import dev.hydrant.plumbing.discovery.NameLookup;
import dev.hydrant.plumbing.metrics.SelfMetricsEmitter;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent's composition root: ingress (v2 gRPC and v1 UDP) -> tagger -> one drop-oldest buffer
 * -> stream workers -> Doppler pool (v2 BatchSender, mTLS). It sizes the buffer and wires every
 * count to its meter; the meters themselves are declared and described in {@link MetronMeters}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({MetronProperties.class, ZoneProperties.class})
public final class MetronConfiguration {

    /** The agent's own source id. */
    public static final String SOURCE_ID = "metron";

    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BACKOFF_INITIAL = Duration.ofMillis(100);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(5);

    @Bean
    TlsFiles metronTlsFiles(MetronProperties properties) {
        return properties.tls().files();
    }

    @Bean
    MetronMeters metronMeters(MeterRegistry registry) {
        return MetronMeters.register(registry);
    }

    /**
     * The one buffer between ingress and egress: bufferSize envelopes and bufferBytes of them (as framed into
     * a batch), drop oldest, drops counted.
     */
    @Bean
    DropOldestBuffer<EncodedEnvelope> metronBuffer(MetronProperties properties, MetronMeters meters) {
        Counter dropped = meters.droppedIngress();
        return new DropOldestBuffer<>(properties.bufferSize(), properties.bufferBytesLimit(),
                EncodedEnvelope::framedSize, dropped::increment);
    }

    @Bean
    EnvelopeTagger metronTagger(MetronProperties properties, MetronMeters meters) {
        Counter resets = meters.counterTotalsResets();
        Map<String, String> hostTags = new LinkedHashMap<>();
        hostTags.put("deployment", properties.deployment());
        hostTags.put("job", properties.job());
        hostTags.put("index", properties.index());
        hostTags.put("ip", properties.ip());
        return new EnvelopeTagger(hostTags, new CounterTotals(properties.counterTotalsLimit(), resets::increment));
    }

    @Bean
    IngressService metronIngressService(EnvelopeTagger tagger, DropOldestBuffer<EncodedEnvelope> buffer, MetronMeters meters,
                                        AppLogRateLimiter limiter) {
        return new IngressService(tagger, buffer, meters.ingress(), limiter);
    }

    @Bean
    IngressServer metronIngressServer(MetronProperties properties, TlsFiles tls, IngressService service,
                                      MetronMeters meters) {
        return new IngressServer(properties.host(), properties.port(), tls, MetronProperties.PREFIX, service,
                meters.malformedRequests());
    }

    /** The legacy v1 ingress: dropsonde envelopes over UDP, converted to v2. */
    @Bean
    @ConditionalOnProperty(prefix = MetronProperties.PREFIX, name = "udp-enabled", havingValue = "true",
            matchIfMissing = true)
    UdpIngress metronUdpIngress(MetronProperties properties, IngressService service, MetronMeters meters) {
        return new UdpIngress(properties.host(), properties.udpPort(), MetronProperties.PREFIX + ".udp-port",
                service, meters.udpMalformed());
    }

    /** What has left the agent, in the order it entered: what the file tailer checkpoints by. */
    @Bean
    Departures metronDepartures(DropOldestBuffer<EncodedEnvelope> buffer) {
        return new Departures(buffer);
    }

    @Bean
    DopplerPool metronDopplerPool(MetronProperties properties, ZoneProperties zones, TlsFiles tls,
                                  DropOldestBuffer<EncodedEnvelope> buffer, Departures departures, MetronMeters meters,
                                  MeterRegistry registry) {
        DopplerPool pool = new DopplerPool(poolSettings(properties, zones, tls), NameLookup.SYSTEM, buffer,
                meters.egress(), meters.droppedEgress(), departures);
        MetronMeters.registerGauges(registry, pool::waiting, pool::connectedStreams);
        return pool;
    }

    private static DopplerPoolSettings poolSettings(MetronProperties properties, ZoneProperties zones, TlsFiles tls) {
        ZoneProperties.Split dopplers = zones.split(properties.dopplers());
        EgressSettings egress = new EgressSettings(properties.batchSize(), properties.batchInterval(),
                properties.streamMaxAge(), properties.streamMaxEnvelopes(), RESPONSE_TIMEOUT,
                BACKOFF_INITIAL, BACKOFF_MAX, properties.streamsPerDoppler());
        return new DopplerPoolSettings(dopplers.others(), properties.dopplerResolveInterval(),
                properties.dopplerServerName(), tls, MetronProperties.TLS_PREFIX, egress, properties.shutdownGrace(),
                zones.zone(), dopplers.zone());
    }

    @Bean
    ClosingBooks metronClosingBooks(MetronMeters meters, MeterRegistry registry) {
        return new ClosingBooks(meters, registry);
    }

    /** The agent's own metrics, emitted as envelopes into its own ingress every metrics-interval. */
    @Bean
    SelfMetrics metronSelfMetrics(MetronProperties properties, MeterRegistry registry, IngressService ingress) {
        Map<String, String> tags = Map.of("origin", "loggregator.metron");
        SelfMetricsEmitter emitter = new SelfMetricsEmitter(registry, MetronMeters.EMITTED, SOURCE_ID,
                InstanceId.resolve(properties.instanceId()),
                tags, ingress::accept, Clock.systemUTC());
        return new SelfMetrics(emitter, properties.metricsInterval());
    }
}
