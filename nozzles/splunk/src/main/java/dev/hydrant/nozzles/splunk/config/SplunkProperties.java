package dev.hydrant.nozzles.splunk.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Splunk nozzle, under {@code hydrant.nozzle.splunk}; the firehose, its token and the batch
 * count and time are the nozzle SDK's {@code hydrant.nozzle.*}.
 *
 * @param url            the HEC's base address, {@code https://splunk.example.com:8088}
 * @param token          the HEC token, sent as {@code Authorization: Splunk <token>}
 * @param caFile         the CA (PEM) that signs the HEC's certificate; the JDK's default trust when unset
 * @param gzip           compress request bodies ({@code Content-Encoding: gzip})
 * @param maxBatchBytes  a batch whose JSON is larger is split into several requests of at most this much
 * @param maxInFlight    requests sent at once at most (the encoding of the next batch overlaps them)
 * @param connectTimeout a connection or TLS handshake not done by then has failed
 * @param requestTimeout an answer not received by then has failed
 * @param retry          retries of 5xx, 429 and network errors; the probe interval of a refused token
 * @param index          the index of every event; the token's default index when unset
 * @param metricsIndex   the index of metric events; {@code index} (or the mapping) when unset
 * @param indexTag       an envelope tag whose value names the index, before any other mapping
 * @param indexes        index by source id
 * @param hostTags       the first of these envelope tags present is the event's host; none: unset
 * @param sourceTags     the first of these envelope tags present is the event's source; none: the source id
 * @param fields         fixed fields added to every event
 * @param sourcetype     the sourcetype of each envelope type
 * @param ack            indexer acknowledgement
 */
@Validated
@ConfigurationProperties(SplunkProperties.PREFIX)
public record SplunkProperties(
        @NotNull URI url,
        @NotBlank String token,
        Path caFile,
        @DefaultValue("true") boolean gzip,
        @DefaultValue("1MB") @NotNull DataSize maxBatchBytes,
        @DefaultValue("4") @Min(1) @Max(64) int maxInFlight,
        @DefaultValue("10s") @NotNull Duration connectTimeout,
        @DefaultValue("30s") @NotNull Duration requestTimeout,
        @DefaultValue @Valid Retry retry,
        String index,
        String metricsIndex,
        String indexTag,
        @DefaultValue Map<String, String> indexes,
        @DefaultValue("ip") List<String> hostTags,
        @DefaultValue List<String> sourceTags,
        @DefaultValue Map<String, String> fields,
        @DefaultValue @Valid Sourcetype sourcetype,
        @DefaultValue @Valid Ack ack) {

    public static final String PREFIX = "hydrant.nozzle.splunk";

    /**
     * @param maxAttempts attempts per request before its events are dropped and counted
     * @param minBackoff  first wait after a failed attempt, doubling
     * @param maxBackoff  longest wait; also how often a refused token or untrusted certificate is tried again
     */
    public record Retry(@DefaultValue("10") @Min(1) int maxAttempts,
                        @DefaultValue("100ms") @NotNull Duration minBackoff,
                        @DefaultValue("15s") @NotNull Duration maxBackoff) {
    }

    /** Sourcetypes by envelope type; a gauge with cpu, memory and disk is a container metric. */
    public record Sourcetype(@DefaultValue("cf:logmessage") @NotBlank String log,
                             @DefaultValue("cf:counterevent") @NotBlank String counter,
                             @DefaultValue("cf:valuemetric") @NotBlank String gauge,
                             @DefaultValue("cf:containermetric") @NotBlank String containerMetric,
                             @DefaultValue("cf:timer") @NotBlank String timer,
                             @DefaultValue("cf:event") @NotBlank String event) {
    }

    /**
     * @param enabled      ask for indexer acknowledgement (the token must have it on)
     * @param channel      the channel id (a UUID); a random one per start when unset
     * @param pollInterval how often {@code /services/collector/ack} is asked
     * @param timeout      a request not acknowledged by then is sent again, or dropped and counted
     * @param resends      times an unacknowledged request is sent again
     * @param maxPending   requests awaiting acknowledgement at most; the writer waits beyond
     */
    public record Ack(@DefaultValue("false") boolean enabled,
                      String channel,
                      @DefaultValue("1s") @NotNull Duration pollInterval,
                      @DefaultValue("60s") @NotNull Duration timeout,
                      @DefaultValue("1") @Min(0) int resends,
                      @DefaultValue("100") @Min(1) int maxPending) {
    }
}
