package dev.hydrant.nozzles.splunk.config;

import dev.hydrant.nozzle.autoconfigure.NozzleProperties;
import dev.hydrant.nozzle.runtime.SourceMode;
import dev.hydrant.nozzles.splunk.format.HecEncoder;
import dev.hydrant.nozzles.splunk.format.Mapping;
import dev.hydrant.nozzles.splunk.hec.AckTracker;
import dev.hydrant.nozzles.splunk.hec.HecClient;
import dev.hydrant.nozzles.splunk.hec.HecHealth;
import dev.hydrant.nozzles.splunk.hec.HecMetrics;
import dev.hydrant.nozzles.splunk.hec.HecSender;
import dev.hydrant.nozzles.splunk.hec.HecSink;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.tls.PemTrust;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The nozzle's composition root: the HEC client (its TLS trust from {@code ca-file}), the encoder (mapping,
 * {@code max-batch-bytes}, gzip), the sender with its retries, the optional acknowledgement tracker, and
 * the sink the nozzle SDK reads the firehose into (its buffer and batches are the SDK's
 * {@code hydrant.nozzle.*}). With the SDK's {@code hydrant.nozzle.source=kafka} (a source that replays what is
 * not written) the sink settles each batch before returning and fails it rather than dropping.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SplunkProperties.class)
public class SplunkNozzleConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SplunkNozzleConfiguration.class);
    private static final String PREFIX = SplunkProperties.PREFIX;

    @Bean
    HecMetrics hecMetrics(MeterRegistry registry) {
        return new HecMetrics(registry);
    }

    @Bean
    HecHealth hecHealth(SplunkProperties properties, SourceMode source) {
        return new HecHealth(properties.retry().maxBackoff(), source.replays());
    }

    @Bean
    HecClient hecClient(SplunkProperties properties) {
        URI url = properties.url();
        if (url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http"))
                || url.getHost() == null) {
            throw new InvalidSettingException(PREFIX + ".url", "must be http(s)://host[:port], was " + url);
        }
        if (properties.token().chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidSettingException(PREFIX + ".token", "must not contain white space");
        }
        positive("connect-timeout", properties.connectTimeout());
        positive("request-timeout", properties.requestTimeout());
        if (url.getScheme().equals("http")) {
            LOG.warn("{}.url is http://: the HEC token and the events cross the network unencrypted", PREFIX);
        }
        SSLContext tls = properties.caFile() == null ? null : PemTrust.trusting(properties.caFile(), PREFIX + ".ca-file");
        return new HecClient(url, properties.token(), tls, channel(properties.ack()), properties.connectTimeout(),
                properties.requestTimeout());
    }

    @Bean
    HecEncoder hecEncoder(SplunkProperties properties) {
        long maxBytes = properties.maxBatchBytes().toBytes();
        if (maxBytes < 1024 || maxBytes > 512L * 1024 * 1024) {
            throw new InvalidSettingException(PREFIX + ".max-batch-bytes", "must be between 1KB and 512MB, was "
                    + properties.maxBatchBytes());
        }
        SplunkProperties.Sourcetype types = properties.sourcetype();
        for (Map.Entry<String, String> index : properties.indexes().entrySet()) {
            if (index.getValue() == null || index.getValue().isBlank()) {
                throw new InvalidSettingException(PREFIX + ".indexes", "the index of " + index.getKey() + " is blank");
            }
        }
        Mapping mapping = new Mapping(properties.index(), properties.metricsIndex(), properties.indexTag(),
                properties.indexes(), properties.hostTags(), properties.sourceTags(), properties.fields(),
                new Mapping.Sourcetypes(types.log(), types.counter(), types.gauge(), types.containerMetric(),
                        types.timer(), types.event()));
        return new HecEncoder(mapping, (int) maxBytes, properties.gzip());
    }

    @Bean
    HecSender hecSender(SplunkProperties properties, HecClient client, HecEncoder encoder, HecMetrics metrics,
                        HecHealth health, SourceMode source) {
        SplunkProperties.Retry retry = properties.retry();
        positive("retry.min-backoff", retry.minBackoff());
        if (retry.maxBackoff().compareTo(retry.minBackoff()) < 0) {
            throw new InvalidSettingException(PREFIX + ".retry.max-backoff", "is shorter than retry.min-backoff");
        }
        return new HecSender(client, encoder, metrics, health, retry.maxAttempts(), retry.minBackoff(), retry.maxBackoff(),
                source.replays());
    }

    /** Closed by the sink, after its requests in flight, so that none is left uncounted. */
    @Bean(destroyMethod = "")
    AckTracker ackTracker(SplunkProperties properties, HecClient client, HecSender sender, HecMetrics metrics,
                          NozzleProperties nozzle) {
        SplunkProperties.Ack ack = properties.ack();
        if (!ack.enabled()) {
            metrics.acksPending(() -> 0);
            return null;
        }
        positive("ack.poll-interval", ack.pollInterval());
        positive("ack.timeout", ack.timeout());
        Duration grace = ack.timeout().compareTo(nozzle.shutdownTimeout()) < 0 ? ack.timeout() : nozzle.shutdownTimeout();
        return new AckTracker(client, sender, metrics, ack.pollInterval(), ack.timeout(), ack.resends(), ack.maxPending(),
                grace);
    }

    @Bean(destroyMethod = "close")
    HecSink hecSink(SplunkProperties properties, NozzleProperties nozzle, HecEncoder encoder, HecSender sender,
                    HecMetrics metrics, ObjectProvider<AckTracker> acks, SourceMode source) {
        return new HecSink(encoder, sender, metrics, acks.getIfAvailable(), properties.maxInFlight(),
                nozzle.shutdownTimeout(), source.replays());
    }

    @Bean
    SplunkHealthIndicator splunkHealthIndicator(HecHealth health, HecMetrics metrics, ObjectProvider<AckTracker> acks) {
        return new SplunkHealthIndicator(health, metrics, acks.getIfAvailable());
    }

    private static String channel(SplunkProperties.Ack ack) {
        if (!ack.enabled()) {
            return null;
        }
        if (ack.channel() == null || ack.channel().isBlank()) {
            return UUID.randomUUID().toString();
        }
        try {
            return UUID.fromString(ack.channel()).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(PREFIX + ".ack.channel", "must be a UUID, was " + ack.channel(), e);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(PREFIX + "." + name, "must be positive, was " + value);
        }
    }
}
