package dev.hydrant.metron.config;

import dev.hydrant.metron.egress.DopplerAddress;
import dev.hydrant.metron.egress.DopplerPool;
import dev.hydrant.metron.egress.EgressSettings;
import dev.hydrant.metron.ingress.IngressServer;
import dev.hydrant.metron.ingress.IngressService;
import dev.hydrant.metron.ingress.UdpIngress;
import dev.hydrant.metron.tagging.CounterTotals;
import dev.hydrant.metron.tagging.EnvelopeTagger;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.metrics.SelfMetricsEmitter;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The agent's composition root: ingress (v2 gRPC, mTLS) -> tagger -> one drop-oldest buffer ->
 * stream workers -> Doppler pool (v2 BatchSender, mTLS). It sizes the buffer and names every
 * metric:
 *
 * <table>
 * <caption>metron metrics (Prometheus names in brackets)</caption>
 * <tr><td>{@code ingress} ({@code ingress_total})</td><td>envelopes received from emitters and from the agent's own metrics</td></tr>
 * <tr><td>{@code egress} ({@code egress_total})</td><td>envelopes a Doppler confirmed (a BatchSender stream that ended with its response)</td></tr>
 * <tr><td>{@code dropped{direction=ingress}}</td><td>envelopes pushed out of the full buffer (oldest first)</td></tr>
 * <tr><td>{@code dropped{direction=egress}}</td><td>envelopes written to a stream that broke before confirming them, or left in the buffer at shutdown</td></tr>
 * <tr><td>{@code buffer.fill} ({@code buffer_fill})</td><td>envelopes waiting now: in the buffer or in a batch being filled</td></tr>
 * <tr><td>{@code doppler.connections} ({@code doppler_connections})</td><td>streams to Dopplers established now</td></tr>
 * <tr><td>{@code counter.totals.resets}</td><td>times the counter-totals map was cleared because it was full</td></tr>
 * </table>
 *
 * <p>At any quiet moment {@code ingress = egress + dropped(ingress) + dropped(egress) + buffer.fill}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetronProperties.class)
public final class MetronConfiguration {

    /** The agent's own source id. */
    public static final String SOURCE_ID = "metron";

    /** The meters the agent emits into its own pipe. */
    public static final List<String> SELF_METRICS =
            List.of("ingress", "egress", "dropped", "buffer.fill", "doppler.connections");

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

    /** The one buffer between ingress and egress: bufferSize envelopes, drop oldest, drops counted. */
    @Bean
    DropOldestBuffer<Envelope> metronBuffer(MetronProperties properties, MetronMeters meters) {
        Counter dropped = meters.droppedIngress();
        return new DropOldestBuffer<>(properties.bufferSize(), dropped::increment);
    }

    @Bean
    EnvelopeTagger metronTagger(MetronProperties properties, MeterRegistry registry) {
        Counter resets = Counter.builder("counter.totals.resets")
                .description("Times the counter totals were forgotten because more counters were seen than kept")
                .register(registry);
        Map<String, String> hostTags = new LinkedHashMap<>();
        hostTags.put("deployment", properties.deployment());
        hostTags.put("job", properties.job());
        hostTags.put("index", properties.index());
        hostTags.put("ip", properties.ip());
        return new EnvelopeTagger(hostTags, new CounterTotals(properties.counterTotalsLimit(), resets::increment));
    }

    @Bean
    IngressService metronIngressService(EnvelopeTagger tagger, DropOldestBuffer<Envelope> buffer, MetronMeters meters) {
        return new IngressService(tagger, buffer, meters.ingress());
    }

    @Bean
    IngressServer metronIngressServer(MetronProperties properties, TlsFiles tls, IngressService service,
                                      MeterRegistry registry) {
        return new IngressServer(properties.host(), properties.port(), tls, MetronProperties.PREFIX, service,
                MalformedRequests.registeredIn(registry));
    }

    /** The legacy v1 ingress: dropsonde envelopes over UDP, converted to v2. */
    @Bean
    @ConditionalOnProperty(prefix = MetronProperties.PREFIX, name = "udp-enabled", havingValue = "true",
            matchIfMissing = true)
    UdpIngress metronUdpIngress(MetronProperties properties, IngressService service, MeterRegistry registry) {
        Counter malformed = Counter.builder("udp.malformed")
                .description("UDP datagrams that were not a v1 envelope with a v2 form, skipped")
                .register(registry);
        return new UdpIngress(properties.host(), properties.udpPort(), MetronProperties.PREFIX + ".udp-port",
                service, malformed);
    }

    @Bean
    DopplerPool metronDopplerPool(MetronProperties properties, TlsFiles tls, DropOldestBuffer<Envelope> buffer,
                                  MetronMeters meters, MeterRegistry registry) {
        List<DopplerAddress> dopplers = properties.dopplers().stream()
                .map(entry -> DopplerAddress.parse(entry, "hydrant.metron.dopplers"))
                .toList();
        EgressSettings settings = new EgressSettings(properties.batchSize(), properties.batchInterval(),
                properties.streamMaxAge(), properties.streamMaxEnvelopes(), RESPONSE_TIMEOUT,
                BACKOFF_INITIAL, BACKOFF_MAX, properties.streamsPerDoppler());
        DopplerPool pool = new DopplerPool(dopplers, InetAddress::getAllByName, properties.dopplerResolveInterval(),
                properties.dopplerServerName(), tls, MetronProperties.TLS_PREFIX, buffer, settings,
                meters.egress(), meters.droppedEgress(), properties.shutdownGrace());
        Gauge.builder("buffer.fill", pool, DopplerPool::waiting)
                .description("Envelopes waiting for a Doppler: in the agent's buffer or in a batch being filled")
                .baseUnit("envelopes")
                .register(registry);
        Gauge.builder("doppler.connections", pool, DopplerPool::connectedStreams)
                .description("Streams to Dopplers established now")
                .baseUnit("streams")
                .register(registry);
        return pool;
    }

    @Bean
    ClosingBooks metronClosingBooks(MetronMeters meters, MeterRegistry registry) {
        return new ClosingBooks(meters, registry);
    }

    /** The agent's own metrics, emitted as envelopes into its own ingress every metrics-interval. */
    @Bean
    SelfMetrics metronSelfMetrics(MetronProperties properties, MeterRegistry registry, IngressService ingress) {
        Map<String, String> tags = Map.of("origin", "loggregator.metron");
        SelfMetricsEmitter emitter = new SelfMetricsEmitter(registry, SELF_METRICS, SOURCE_ID, instanceId(properties),
                tags, ingress::accept, Clock.systemUTC());
        return new SelfMetrics(emitter, properties.metricsInterval());
    }

    private static String instanceId(MetronProperties properties) {
        if (properties.instanceId() != null && !properties.instanceId().isBlank()) {
            return properties.instanceId();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return properties.index() == null ? "0" : properties.index();
        }
    }
}
