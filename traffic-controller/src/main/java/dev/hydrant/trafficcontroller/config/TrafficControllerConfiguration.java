package dev.hydrant.trafficcontroller.config;

import dev.hydrant.plumbing.config.InstanceId;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.grpc.OversizeRequests;
import dev.hydrant.plumbing.metrics.SelfMetricsEmitter;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.plumbing.tls.TlsPolicy;
import dev.hydrant.trafficcontroller.auth.AccessPolicy;
import dev.hydrant.trafficcontroller.auth.AllowedOrigins;
import dev.hydrant.trafficcontroller.auth.Authorizer;
import dev.hydrant.trafficcontroller.auth.ClaimAccessPolicy;
import dev.hydrant.trafficcontroller.auth.CloudControllerAccessPolicy;
import dev.hydrant.trafficcontroller.auth.CookieOriginCheck;
import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.auth.TokenVerifier;
import dev.hydrant.trafficcontroller.fanin.ClientStreams;
import dev.hydrant.trafficcontroller.fanin.DopplerPool;
import dev.hydrant.trafficcontroller.fanin.EgressLimits;
import dev.hydrant.trafficcontroller.fanin.FanIn;
import dev.hydrant.trafficcontroller.fanin.LocalDelivery;
import dev.hydrant.trafficcontroller.grpc.GrpcEgressServer;
import dev.hydrant.trafficcontroller.grpc.GrpcEgressService;
import dev.hydrant.trafficcontroller.listener.ClosedConnections;
import dev.hydrant.trafficcontroller.listener.PublicListener;
import dev.hydrant.trafficcontroller.listener.StreamLimit;
import dev.hydrant.trafficcontroller.metrics.MetronSink;
import dev.hydrant.trafficcontroller.recent.LogCacheHandler;
import dev.hydrant.trafficcontroller.recent.RecentLogsHandler;
import dev.hydrant.trafficcontroller.recent.RecentReader;
import dev.hydrant.trafficcontroller.sse.SseReadHandler;
import dev.hydrant.trafficcontroller.websocket.OpenConnections;
import dev.hydrant.trafficcontroller.websocket.SlowConsumerNotice;
import dev.hydrant.trafficcontroller.websocket.V1AuthFilter;
import dev.hydrant.trafficcontroller.websocket.V1StreamHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * The composition root of the Traffic Controller: Doppler pool and fan-in, the per-client
 * buffers (client-buffer-size, client-buffer-bytes and a share of egress-buffer-bytes, drop oldest, counted as
 * {@code dropped{direction=egress}}), auth,
 * and every endpoint: v1 websockets, v2 SSE, v2 gRPC, recent logs and the Log Cache style API.
 */
@Configuration(proxyBeanMethods = false)
public class TrafficControllerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TrafficControllerConfiguration.class);
    private static final String TLS_PREFIX = TrafficControllerProperties.PREFIX + ".tls";

    @Bean
    ProxyMetrics proxyMetrics(MeterRegistry registry) {
        return new ProxyMetrics(registry);
    }

    @Bean
    Rejections rejections(ProxyMetrics metrics) {
        return new Rejections(metrics);
    }

    @Bean
    TlsFiles dopplerTlsFiles(TrafficControllerProperties properties) {
        TrafficControllerProperties.Tls tls = properties.tls();
        return new TlsFiles(tls.certFile(), tls.keyFile(), tls.caFile()).validate(TLS_PREFIX);
    }

    @Bean(destroyMethod = "close")
    DopplerPool dopplerPool(TrafficControllerProperties properties, TlsFiles tls) {
        DopplerPool pool = new DopplerPool(properties.dopplers(), TrafficControllerProperties.PREFIX + ".dopplers",
                properties.dopplerServerName(), tls, TLS_PREFIX);
        pool.start(properties.dopplerResolveInterval());
        return pool;
    }

    @Bean(destroyMethod = "close")
    FanIn fanIn(DopplerPool pool, ProxyMetrics metrics) {
        return new FanIn(pool, metrics.ingress());
    }

    @Bean
    LocalDelivery localDelivery() {
        return new LocalDelivery();
    }

    @Bean
    ClientStreams clientStreams(FanIn fanIn, LocalDelivery local, TrafficControllerProperties properties,
                                ProxyMetrics metrics) {
        ClientStreams streams = new ClientStreams(fanIn, local, properties.clientBufferSize(),
                properties.clientBufferBytesOrDefault(), properties.egressBufferBytes(), metrics.droppedEgress());
        metrics.clientBufferBytes(streams::bufferedBytes);
        return streams;
    }

    @Bean
    Authorizer authorizer(TrafficControllerProperties properties) {
        TrafficControllerProperties.Auth auth = properties.auth();
        String prefix = TrafficControllerProperties.PREFIX + ".auth";
        if (auth.disabled()) {
            log.warn("!!! {}.disabled=true: EVERY REQUEST IS TREATED AS AN ADMIN. Use this for local demos only. !!!",
                    prefix);
            return new Authorizer(null, (caller, sourceId) -> reactor.core.publisher.Mono.just(true));
        }
        TokenVerifier verifier = TokenVerifier.from(auth);
        AccessPolicy policy = switch (auth.policy()) {
            case CLAIM -> new ClaimAccessPolicy(auth.sourceIdsClaim());
            case CLOUD_CONTROLLER -> {
                if (auth.cloudControllerUrl() == null) {
                    throw new InvalidSettingException(prefix + ".cloud-controller-url",
                            "is required when " + prefix + ".policy=cloud-controller");
                }
                yield new CloudControllerAccessPolicy(auth.cloudControllerUrl(), WebClient.builder());
            }
        };
        return new Authorizer(verifier, policy);
    }

    @Bean
    V1AuthFilter v1AuthFilter(Authorizer authorizer, Rejections rejections) {
        return new V1AuthFilter(authorizer, rejections);
    }

    /** Before auth: a token from the cookie only for pages of an allowed origin. */
    @Bean
    CookieOriginCheck cookieOriginCheck(TrafficControllerProperties properties, Rejections rejections) {
        return new CookieOriginCheck(AllowedOrigins.of(properties.auth().allowedOrigins(),
                TrafficControllerProperties.PREFIX + ".auth.allowed-origins"), rejections);
    }

    /** First of all: a request whose connection closed under it ends without an error logged. */
    @Bean
    ClosedConnections closedConnections() {
        return new ClosedConnections();
    }

    /** Before auth: websocket and SSE streams at most http.max-streams. */
    @Bean
    StreamLimit streamLimit(TrafficControllerProperties properties, Rejections rejections) {
        return new StreamLimit(properties.http().maxStreams(), rejections);
    }

    /**
     * The public listener's connection cap and deadlines, on the application's web server only (a
     * factory customizer does not reach the management server's port).
     */
    @Bean
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> publicListener(TrafficControllerProperties properties,
                                                                             ProxyMetrics metrics, Rejections rejections) {
        ListenerCapacity.warnWhenOverDescriptorLimit(properties.http().maxConnections(),
                TrafficControllerProperties.PREFIX + ".http.max-connections");
        PublicListener listener = new PublicListener(properties.http(), metrics.publicConnections(), rejections);
        return factory -> factory.addServerCustomizers(listener);
    }

    @Bean
    SlowConsumerNotice slowConsumerNotice(LocalDelivery delivery, TrafficControllerProperties properties) {
        return new SlowConsumerNotice(delivery, InstanceId.resolve(properties.instanceId()), Clock.systemUTC());
    }

    @Bean
    OpenConnections openConnections() {
        return new OpenConnections();
    }

    @Bean
    HandlerMapping v1WebsocketMapping(TrafficControllerProperties properties, ClientStreams streams,
                                      ProxyMetrics metrics, SlowConsumerNotice notice, OpenConnections connections) {
        V1StreamHandler handler = new V1StreamHandler(streams, metrics, notice, connections,
                properties.slowConsumerTimeout(), properties.pingInterval());
        return new SimpleUrlHandlerMapping(Map.of("/firehose/*", handler, "/apps/*/stream", handler), -1);
    }

    @Bean
    RecentReader recentReader(DopplerPool pool, TrafficControllerProperties properties, ProxyMetrics metrics) {
        return new RecentReader(pool, properties.recentLogsDeadline(), metrics.dopplerMisses());
    }

    @Bean
    RouterFunction<ServerResponse> httpRoutes(TrafficControllerProperties properties, Authorizer authorizer,
                                              ClientStreams streams, ProxyMetrics metrics,
                                              Rejections rejections, RecentReader reader) {
        SseReadHandler sse = new SseReadHandler(authorizer, streams, metrics, rejections,
                properties.sseHeartbeat(), properties.sseStreamTimeout(), new EgressLimits(properties.maxSelectors()));
        RecentLogsHandler recent = new RecentLogsHandler(authorizer, reader, metrics, rejections);
        LogCacheHandler logCache = new LogCacheHandler(authorizer, reader, metrics, rejections);
        return RouterFunctions.route()
                .GET("/v2/read", sse::read)
                .GET("/apps/{sourceId}/recentlogs", recent::recentLogs)
                .GET("/apps/{sourceId}/containermetrics", recent::containerMetrics)
                .GET("/api/v1/read/{sourceId}", logCache::read)
                .GET("/api/v1/meta", logCache::meta)
                .build();
    }

    /** Where the Traffic Controller's own metric envelopes go: the Metron agent of its host. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = TrafficControllerProperties.PREFIX + ".metrics", name = "enabled",
            havingValue = "true", matchIfMissing = true)
    MetronSink metronSink(TrafficControllerProperties properties, TlsFiles tls) {
        TrafficControllerProperties.Metrics metrics = properties.metrics();
        return new MetronSink(metrics.metron(), metrics.metronServerName(), tls, TLS_PREFIX);
    }

    /** The Traffic Controller's own meters as envelopes, every metrics.interval, into the firehose. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = TrafficControllerProperties.PREFIX + ".metrics", name = "enabled",
            havingValue = "true", matchIfMissing = true)
    SelfMetricsEmitter trafficControllerSelfMetrics(TrafficControllerProperties properties, MetronSink sink,
                                                    MeterRegistry registry) {
        return new SelfMetricsEmitter(registry, ProxyMetrics.EMITTED, ProxyMetrics.SOURCE_ID,
                InstanceId.resolve(properties.instanceId()),
                Map.of("origin", ProxyMetrics.ORIGIN), sink, Clock.systemUTC())
                .start(properties.metrics().interval());
    }

    @Bean
    GrpcEgressServer grpcEgressServer(TrafficControllerProperties properties, TlsFiles tls, ClientStreams streams,
                                      ProxyMetrics metrics, Rejections rejections) {
        GrpcEgressService service = new GrpcEgressService(streams, metrics, rejections, properties.maxGrpcStreams(),
                new EgressLimits(properties.maxSelectors()));
        return new GrpcEgressServer(properties.grpcHost(), properties.grpcPort(), tls, TLS_PREFIX,
                TrafficControllerProperties.PREFIX + ".grpc-port", service,
                new MalformedRequests(metrics.malformedRequests(), new OversizeRequests(metrics.oversizeRequests())),
                properties.shutdownGrace());
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableReactiveWebServerFactory> publicTls(TrafficControllerProperties properties) {
        return factory -> {
            TrafficControllerProperties.PublicTls tls = properties.publicTls();
            if (!tls.enabled()) {
                return;
            }
            String prefix = TrafficControllerProperties.PREFIX + ".public-tls";
            if (tls.certFile() == null || tls.keyFile() == null) {
                throw new InvalidSettingException(prefix, "cert-file and key-file must both be set to enable TLS");
            }
            for (var entry : Map.of(prefix + ".cert-file", tls.certFile(), prefix + ".key-file", tls.keyFile()).entrySet()) {
                if (!java.nio.file.Files.isReadable(entry.getValue())) {
                    throw new InvalidSettingException(entry.getKey(), "file " + entry.getValue() + " is not readable");
                }
            }
            Ssl ssl = new Ssl();
            ssl.setEnabled(true);
            ssl.setCertificate(tls.certFile().toUri().toString());
            ssl.setCertificatePrivateKey(tls.keyFile().toUri().toString());
            ssl.setEnabledProtocols(TlsPolicy.PROTOCOLS.toArray(String[]::new));
            ssl.setCiphers(TlsPolicy.CIPHER_SUITES.toArray(String[]::new));
            factory.setSsl(ssl);
        };
    }
}
