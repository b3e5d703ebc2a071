package dev.hydrant.nozzles.elasticsearch.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Elasticsearch/OpenSearch nozzle, under {@code hydrant.nozzle.elasticsearch}; the firehose,
 * its batching and the token are the nozzle SDK's {@code hydrant.nozzle.*}.
 *
 * @param url             the cluster's HTTP address ({@code https://} with a CA of {@code ca-file} or the JDK's)
 * @param mode            {@code data-stream} (one data stream, rolled over by the cluster) or {@code daily}
 *                        (one index per UTC day of the envelope's timestamp)
 * @param name            the data stream's name, or the daily indices' prefix ({@code NAME-yyyy.MM.dd})
 * @param templateName    the index template installed at start ({@code PUT _index_template/NAME})
 * @param templatePriority its priority over other templates matching the same names
 * @param shards          primary shards of each backing or daily index
 * @param replicas        replicas of each; unset: the cluster's default (1)
 * @param username        basic authentication; with {@code password}
 * @param password        its password
 * @param apiKey          an API key as Elasticsearch prints it ({@code encoded}: base64 of id:key), sent as
 *                        {@code Authorization: ApiKey ...}; instead of username and password
 * @param caFile          the CA (PEM) the cluster's certificate chains to; unset: the JDK's trust store
 * @param concurrency     bulk requests in flight at once: each batch is split into this many bulks
 * @param maxRetries      resends of documents the cluster refused for now (429, 503), after the first send
 * @param minBackoff      wait before the first resend, doubling
 * @param maxBackoff      longest wait between resends
 * @param connectTimeout  a connection not made by then has failed
 * @param requestTimeout  a request not answered by then has failed
 */
@Validated
@ConfigurationProperties(ElasticsearchProperties.PREFIX)
public record ElasticsearchProperties(
        @DefaultValue("http://localhost:9200") @NotNull URI url,
        @DefaultValue("data-stream") @NotNull IndexMode mode,
        @DefaultValue("hydrant-logs") @NotBlank String name,
        @DefaultValue("hydrant-logs") @NotBlank String templateName,
        @DefaultValue("200") @Min(0) int templatePriority,
        @DefaultValue("1") @Min(1) @Max(1024) int shards,
        @Min(0) Integer replicas,
        String username,
        String password,
        String apiKey,
        Path caFile,
        @DefaultValue("2") @Min(1) @Max(64) int concurrency,
        @DefaultValue("5") @Min(0) @Max(100) int maxRetries,
        @DefaultValue("100ms") @NotNull Duration minBackoff,
        @DefaultValue("5s") @NotNull Duration maxBackoff,
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue("60s") @NotNull Duration requestTimeout) {

    public static final String PREFIX = "hydrant.nozzle.elasticsearch";

    /** Where documents go. */
    public enum IndexMode {
        /** One data stream ({@code _bulk} {@code create} into its name); the cluster rolls its backing indices. */
        DATA_STREAM,
        /** One index per UTC day of the envelope's timestamp: {@code NAME-yyyy.MM.dd}. */
        DAILY
    }
}
