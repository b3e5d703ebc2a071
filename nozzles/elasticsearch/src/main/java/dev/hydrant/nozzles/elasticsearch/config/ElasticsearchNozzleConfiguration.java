package dev.hydrant.nozzles.elasticsearch.config;

import dev.hydrant.nozzles.elasticsearch.bulk.BulkMetrics;
import dev.hydrant.nozzles.elasticsearch.bulk.BulkSink;
import dev.hydrant.nozzles.elasticsearch.bulk.DocumentWriter;
import dev.hydrant.nozzles.elasticsearch.bulk.IndexTarget;
import dev.hydrant.nozzles.elasticsearch.http.ClusterClient;
import dev.hydrant.nozzles.elasticsearch.http.ClusterStatus;
import dev.hydrant.nozzles.elasticsearch.template.IndexTemplate;
import dev.hydrant.nozzles.elasticsearch.template.TemplateInstaller;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.tls.PemTrust;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The nozzle's composition root: the cluster client (authorization, TLS trust), the index template installed at
 * start, and the bulk sink the nozzle SDK writes its batches to (the SDK reads the firehose, buffers within
 * {@code hydrant.nozzle.buffer-size} dropping its oldest and counting them, batches and retries).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ElasticsearchProperties.class)
public class ElasticsearchNozzleConfiguration {

    private static final String PREFIX = ElasticsearchProperties.PREFIX;

    @Bean(destroyMethod = "close")
    ClusterClient clusterClient(ElasticsearchProperties properties) {
        URI url = properties.url();
        String scheme = url.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null) {
            throw new InvalidSettingException(PREFIX + ".url", "must be http://host:port or https://host:port, was " + url);
        }
        if (url.getUserInfo() != null) {
            throw new InvalidSettingException(PREFIX + ".url", "must not hold credentials: set username and password");
        }
        positive("connect-timeout", properties.connectTimeout());
        positive("request-timeout", properties.requestTimeout());
        SSLContext ssl = null;
        if (properties.caFile() != null) {
            if (!"https".equals(scheme)) {
                throw new InvalidSettingException(PREFIX + ".ca-file", "is set but url is not https://");
            }
            if (!Files.isReadable(properties.caFile())) {
                throw new InvalidSettingException(PREFIX + ".ca-file", "cannot read " + properties.caFile());
            }
            ssl = PemTrust.trusting(properties.caFile(), PREFIX + ".ca-file");
        }
        return new ClusterClient(url, authorization(properties), ssl, properties.connectTimeout(),
                properties.requestTimeout());
    }

    @Bean
    ClusterStatus clusterStatus(ElasticsearchProperties properties) {
        return new ClusterStatus(properties.url().toString());
    }

    @Bean
    IndexTarget indexTarget(ElasticsearchProperties properties) {
        return new IndexTarget(properties.mode(), properties.name());
    }

    /** Tried once here, at start; again before each batch until it succeeds. */
    @Bean
    TemplateInstaller templateInstaller(ElasticsearchProperties properties, ClusterClient client, ClusterStatus status,
                                        IndexTarget target) {
        TemplateInstaller installer = new TemplateInstaller(client, status, properties.templateName(),
                IndexTemplate.body(target, properties.templatePriority(), properties.shards(), properties.replicas()));
        installer.ensureInstalled();
        return installer;
    }

    @Bean
    BulkMetrics bulkMetrics(MeterRegistry registry) {
        return new BulkMetrics(registry);
    }

    @Bean
    BulkSink bulkSink(ElasticsearchProperties properties, ClusterClient client, ClusterStatus status,
                      TemplateInstaller template, IndexTarget target, BulkMetrics metrics) {
        positive("min-backoff", properties.minBackoff());
        if (properties.maxBackoff().compareTo(properties.minBackoff()) < 0) {
            throw new InvalidSettingException(PREFIX + ".max-backoff", "is shorter than min-backoff");
        }
        return new BulkSink(client, status, template, new DocumentWriter(target), metrics, properties.concurrency(),
                properties.maxRetries(), properties.minBackoff(), properties.maxBackoff());
    }

    @Bean
    ElasticsearchHealthIndicator elasticsearchHealthIndicator(TemplateInstaller template, ClusterStatus status) {
        return new ElasticsearchHealthIndicator(template, status);
    }

    /** {@code Basic ...} from username and password, {@code ApiKey ...} from api-key, or none. */
    static String authorization(ElasticsearchProperties properties) {
        boolean user = present(properties.username());
        boolean key = present(properties.apiKey());
        if (user && key) {
            throw new InvalidSettingException(PREFIX + ".api-key", "set either api-key or username, not both");
        }
        if (key) {
            return "ApiKey " + properties.apiKey().strip();
        }
        if (user) {
            if (properties.password() == null) {
                throw new InvalidSettingException(PREFIX + ".password", "is required when username is set");
            }
            return "Basic " + Base64.getEncoder().encodeToString(
                    (properties.username() + ":" + properties.password()).getBytes(StandardCharsets.UTF_8));
        }
        if (present(properties.password())) {
            throw new InvalidSettingException(PREFIX + ".username", "is required when password is set");
        }
        return null;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(PREFIX + "." + name, "must be positive, was " + value);
        }
    }
}
