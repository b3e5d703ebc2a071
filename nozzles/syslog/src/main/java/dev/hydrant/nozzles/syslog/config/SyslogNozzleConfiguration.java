package dev.hydrant.nozzles.syslog.config;

import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.autoconfigure.NozzleProperties;
import dev.hydrant.nozzles.syslog.bindings.BindingsClient;
import dev.hydrant.nozzles.syslog.bindings.BindingsPoller;
import dev.hydrant.nozzles.syslog.bindings.DrainRouter;
import dev.hydrant.nozzles.syslog.bindings.Drains;
import dev.hydrant.nozzles.syslog.drain.AddressPolicy;
import dev.hydrant.nozzles.syslog.drain.DrainFactory;
import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import dev.hydrant.nozzles.syslog.drain.DrainSettings;
import dev.hydrant.nozzles.syslog.format.SyslogFormatter;
import dev.hydrant.nozzles.syslog.loss.AppLog;
import dev.hydrant.nozzles.syslog.loss.LossReporter;
import dev.hydrant.nozzles.syslog.loss.MetronClient;
import dev.hydrant.plumbing.config.InstanceId;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.metrics.SelfMetricsEmitter;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The nozzle's composition root: the drains (each with its buffer of {@code buffer-size}, dropping its oldest
 * and counting them), the router that is the nozzle SDK's sink, the bindings poller, the loss reporter and its
 * way to the apps' logs. The SDK reads the firehose (as the shard group {@code hydrant.nozzle.subscription-id})
 * into the router.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyslogProperties.class)
public class SyslogNozzleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SyslogNozzleConfiguration.class);
    private static final String PREFIX = SyslogProperties.PREFIX;

    @Bean
    DrainMetrics drainMetrics(MeterRegistry registry, SyslogProperties properties) {
        return new DrainMetrics(registry, properties.maxLabelledDrains());
    }

    @Bean(destroyMethod = "close")
    Drains drains(SyslogProperties properties, DrainMetrics metrics) {
        return new Drains(new DrainFactory(settings(properties)), metrics);
    }

    @Bean
    DrainRouter drainRouter(Drains drains, DrainMetrics metrics) {
        return new DrainRouter(drains, new SyslogFormatter(), metrics);
    }

    @Bean(destroyMethod = "close")
    BindingsPoller bindingsPoller(SyslogProperties properties, NozzleProperties nozzle, TokenProvider tokens,
                                  Drains drains, DrainMetrics metrics) {
        positive("poll-interval", properties.pollInterval());
        URI url = properties.bindingsUrl() != null ? properties.bindingsUrl() : nozzle.url();
        BindingsClient client = new BindingsClient(url, tokens, properties.connectTimeout());
        return new BindingsPoller(client, drains, metrics, properties.pollInterval()).start();
    }

    /** Metron, when its TLS files are set; without it loss reports go to this log and metrics stay in Prometheus. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = PREFIX + ".metron", name = "cert-file")
    MetronClient metronClient(SyslogProperties properties) {
        SyslogProperties.Metron metron = properties.metron();
        TlsFiles tls = new TlsFiles(metron.certFile(), metron.keyFile(), metron.caFile()).validate(PREFIX + ".metron");
        return new MetronClient(metron.address(), metron.serverName(), tls, PREFIX + ".metron");
    }

    @Bean(destroyMethod = "close")
    LossReporter lossReporter(SyslogProperties properties, Drains drains, ObjectProvider<MetronClient> metron,
                              DrainMetrics metrics) {
        positive("loss-report-interval", properties.lossReportInterval());
        AppLog appLog = metron.getIfAvailable();
        if (appLog == null) {
            log.warn("{}.metron.cert-file is not set: drains' losses are written to this log, not to the apps' logs",
                    PREFIX);
            appLog = envelope -> log.warn("{}: {}", envelope.getSourceId(), envelope.getLog().getPayload().toStringUtf8());
        }
        return new LossReporter(drains, appLog, metrics, properties.lossReportInterval(), Clock.systemUTC()).start();
    }

    /** The nozzle's own meters as envelopes into the firehose, every metrics-interval, through Metron. */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(MetronClient.class)
    SelfMetricsEmitter syslogNozzleSelfMetrics(SyslogProperties properties, MetronClient metron, MeterRegistry registry) {
        positive("metrics-interval", properties.metricsInterval());
        return new SelfMetricsEmitter(registry, DrainMetrics.EMITTED, DrainMetrics.SOURCE_ID,
                InstanceId.resolve(properties.instanceId()), Map.of("origin", DrainMetrics.SOURCE_ID), metron,
                Clock.systemUTC()).start(properties.metricsInterval());
    }

    @Bean
    DrainsHealthIndicator drainsHealthIndicator(BindingsPoller poller, Drains drains) {
        return new DrainsHealthIndicator(poller, drains);
    }

    private static DrainSettings settings(SyslogProperties properties) {
        positive("min-backoff", properties.minBackoff());
        positive("connect-timeout", properties.connectTimeout());
        if (properties.maxBackoff().compareTo(properties.minBackoff()) < 0) {
            throw new InvalidSettingException(PREFIX + ".max-backoff", "is shorter than min-backoff");
        }
        if (properties.batchSize() > properties.bufferSize()) {
            throw new InvalidSettingException(PREFIX + ".batch-size", "exceeds buffer-size " + properties.bufferSize());
        }
        AddressPolicy addresses;
        try {
            new AddressPolicy(properties.blockedRanges(), List.of());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(PREFIX + ".blocked-ranges", e.getMessage(), e);
        }
        try {
            addresses = new AddressPolicy(properties.blockedRanges(), properties.allowedRanges());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(PREFIX + ".allowed-ranges", e.getMessage(), e);
        }
        return new DrainSettings(properties.bufferSize(), properties.batchSize(), properties.minBackoff(),
                properties.maxBackoff(), properties.connectTimeout(), addresses);
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(PREFIX + "." + name, "must be positive, was " + value);
        }
    }
}
