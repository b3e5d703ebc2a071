package dev.hydrant.nozzle.autoconfigure;

import dev.hydrant.nozzle.auth.ClientCredentialsTokenProvider;
import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.nozzle.client.GrpcSettings;
import dev.hydrant.nozzle.client.HttpTls;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import dev.hydrant.nozzle.client.ReconnectPolicy;
import dev.hydrant.nozzle.client.Transport;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import dev.hydrant.nozzle.runtime.NozzleRuntimeBuilder;
import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.nozzle.runtime.SourceMode;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Selector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.client.HttpClient;

/**
 * Makes an app with a {@link NozzleSink} bean a nozzle: builds the token provider, the
 * {@link HydrantClient} and the {@link NozzleRuntime} from {@code hydrant.nozzle.*}, reads the firehose (or
 * the named sources) into the sink from start-up to shutdown, and exposes a health indicator when Spring
 * Boot's health support is present. Each bean can be replaced by one of the app's own. A bad setting stops
 * the start-up with "Invalid setting hydrant.nozzle.<name>: <problem>". {@code ca-file} (and the client
 * certificate) serve the https Traffic Controller and an https token endpoint; {@code fail-fast} ends the app
 * at a permanent problem ({@link FailFastExit}). A sink that needs to know whether its source replays what it
 * does not take injects the {@link SourceMode} bean.
 */
@AutoConfiguration
@ConditionalOnBean(NozzleSink.class)
@EnableConfigurationProperties({NozzleProperties.class, NozzleSourceProperties.class})
public final class NozzleAutoConfiguration {

    private static final String PREFIX = NozzleProperties.PREFIX;

    @Bean
    @ConditionalOnMissingBean
    TokenProvider hydrantTokenProvider(NozzleProperties properties) {
        boolean fixed = present(properties.token());
        boolean credentials = present(properties.clientId());
        if (fixed && credentials) {
            throw new InvalidSettingException(PREFIX + ".token", "set either token or client-id, not both");
        }
        if (fixed) {
            return TokenProvider.fixed(properties.token());
        }
        if (!credentials) {
            return TokenProvider.none();
        }
        if (!present(properties.clientSecret())) {
            throw new InvalidSettingException(PREFIX + ".client-secret", "is required when client-id is set");
        }
        if (properties.tokenUrl() == null) {
            throw new InvalidSettingException(PREFIX + ".token-url", "is required when client-id is set");
        }
        ClientCredentialsTokenProvider.Builder builder = ClientCredentialsTokenProvider
                .builder(properties.tokenUrl(), properties.clientId(), properties.clientSecret())
                .scope(properties.scope());
        if ("https".equals(properties.tokenUrl().getScheme())) {
            builder = builder.httpClient(httpTls(properties).secureAlsoTrustingDefaults(HttpClient.create()));
        }
        return builder.build();
    }

    /** Whether the source replays, for sinks that act on it (inject {@link SourceMode}). */
    @Bean
    @ConditionalOnMissingBean
    SourceMode nozzleSourceMode(NozzleSourceProperties source) {
        return source.source() == NozzleSourceProperties.Source.KAFKA ? SourceMode.REPLAYING : SourceMode.LIVE;
    }

    @Bean
    @ConditionalOnMissingBean
    NozzleConnectionState nozzleConnectionState() {
        return new NozzleConnectionState();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = PREFIX, name = "source", havingValue = "firehose", matchIfMissing = true)
    HydrantClient hydrantClient(NozzleProperties properties, TokenProvider tokens, NozzleConnectionState connection,
                                ConfigurableApplicationContext context) {
        ReactorNettyLogging.quietRepeats(getClass().getClassLoader());
        NozzleProperties.Reconnect reconnect = properties.reconnect();
        ReconnectPolicy policy;
        try {
            policy = new ReconnectPolicy(reconnect.minBackoff(), reconnect.maxBackoff(), ReconnectPolicy.DEFAULT_JITTER,
                    reconnect.idleTimeout(), reconnect.connectTimeout());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(PREFIX + ".reconnect", e.getMessage(), e);
        }
        HydrantClient.Builder builder;
        try {
            builder = HydrantClient.builder().baseUrl(properties.url());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(PREFIX + ".url", e.getMessage(), e);
        }
        builder = builder.transport(properties.transport())
                .tokenProvider(tokens)
                .reconnect(policy)
                .tls(httpTls(properties))
                .failFast(properties.failFast())
                .connectionListener(properties.failFast() ? new FailFastExit(connection, context) : connection);
        if (properties.transport() == Transport.GRPC) {
            NozzleProperties.Grpc grpc = properties.grpc();
            Path ca = grpc.caFile() != null ? grpc.caFile() : properties.caFile();
            TlsFiles tls = new TlsFiles(grpc.certFile(), grpc.keyFile(), ca).validate(PREFIX + ".grpc");
            builder = builder.grpc(new GrpcSettings(grpc.target(), grpc.serverName(), tls));
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = PREFIX, name = "source", havingValue = "firehose", matchIfMissing = true)
    ReadRequest nozzleReadRequest(NozzleProperties properties) {
        if (properties.sourceIds().isEmpty()) {
            return ReadRequest.firehose(properties.subscriptionId(), properties.types());
        }
        List<Selector> selectors = new ArrayList<>();
        for (String sourceId : properties.sourceIds()) {
            for (EnvelopeType type : properties.types()) {
                selectors.add(type.selector(sourceId));
            }
        }
        return new ReadRequest("", selectors);
    }

    @Bean
    @ConditionalOnMissingBean
    NozzleRuntime nozzleRuntime(NozzleProperties properties, NozzleSink sink, ObjectProvider<MeterRegistry> registry) {
        if (properties.batchSize() > properties.bufferSize()) {
            throw new InvalidSettingException(PREFIX + ".batch-size",
                    properties.batchSize() + " exceeds buffer-size " + properties.bufferSize());
        }
        try {
            return NozzleRuntime.builder(sink)
                    .batchSize(properties.batchSize())
                    .batchInterval(properties.batchInterval())
                    .bufferSize(properties.bufferSize())
                    .retry(properties.sinkMaxAttempts(), NozzleRuntimeBuilder.DEFAULT_RETRY_MIN_BACKOFF,
                            NozzleRuntimeBuilder.DEFAULT_RETRY_MAX_BACKOFF)
                    .shutdownTimeout(properties.shutdownTimeout())
                    .meterRegistry(registry.getIfAvailable(SimpleMeterRegistry::new))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(PREFIX, e.getMessage(), e);
        }
    }

    @Bean
    @ConditionalOnProperty(prefix = PREFIX, name = "source", havingValue = "firehose", matchIfMissing = true)
    NozzleLifecycle nozzleLifecycle(HydrantClient client, NozzleRuntime runtime, ReadRequest request) {
        return new NozzleLifecycle(client, runtime, request);
    }

    /** The TLS files of the HTTP side, checked: a bad one stops the start-up naming its setting. */
    private static HttpTls httpTls(NozzleProperties properties) {
        return new HttpTls(properties.caFile(), properties.certFile(), properties.keyFile()).validate();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** The health indicator, when Spring Boot's health support is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static final class Health {

        @Bean
        @ConditionalOnMissingBean(name = "nozzleHealthIndicator")
        NozzleHealthIndicator nozzleHealthIndicator(NozzleRuntime runtime, NozzleConnectionState connection) {
            return new NozzleHealthIndicator(runtime, connection);
        }
    }
}
