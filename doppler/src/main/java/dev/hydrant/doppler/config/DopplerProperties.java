package dev.hydrant.doppler.config;

import dev.hydrant.plumbing.tls.TlsFiles;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The doppler's settings, {@code hydrant.doppler.*}; defaults follow docs/wire.md section 8.
 *
 * @param host                 address the gRPC server binds
 * @param port                 gRPC port of Ingress, Egress and RecentEnvelopes (0 picks a free one)
 * @param tls                  mutual TLS files; all three are required
 * @param subscriberBufferSize envelopes each egress subscriber's drop-oldest buffer holds
 * @param subscriberBufferBytes bytes each egress subscriber's buffer holds at most (an envelope weighs its
 *                             encoded size plus 64 bytes for the objects holding it)
 * @param egressBufferBytes    bytes all subscribers' buffers hold together at most: with many subscriptions
 *                             each holds an equal share of this when that is less than
 *                             {@code subscriberBufferBytes}
 * @param subscriberWriteBufferBytes bytes of encoded batches a subscriber's stream may hold queued for the
 *                             network before the doppler stops draining its buffer into it (gRPC's on-ready
 *                             threshold): room for bursts, bounded per subscriber
 * @param batchSize            envelopes per egress batch at most
 * @param maxSubscriptions     egress streams open at once at most; one more gets RESOURCE_EXHAUSTED
 * @param cache                bounds of the recent-envelope cache
 * @param metricsInterval      how often the self-metrics are emitted as envelopes
 * @param instanceId           instance id on the self-metric envelopes; when blank the host name, else "0"
 *                             ({@link dev.hydrant.plumbing.config.InstanceId})
 * @param shutdownGrace        how long a stopping doppler spends flushing its subscribers' buffers and ending
 *                             its streams; what is still buffered after it is counted as dropped
 */
@Validated
@ConfigurationProperties("hydrant.doppler")
public record DopplerProperties(
        @DefaultValue("0.0.0.0") @NotBlank String host,
        @DefaultValue("8082") @Min(0) @Max(65535) int port,
        @DefaultValue @NotNull @Valid Tls tls,
        @DefaultValue("50000") @Min(1) @Max(10_000_000) int subscriberBufferSize,
        @DefaultValue("16777216") @Min(1024) long subscriberBufferBytes,
        @DefaultValue("33554432") @Min(1024) long egressBufferBytes,
        @DefaultValue("262144") @Min(1) @Max(16_777_216) int subscriberWriteBufferBytes,
        @DefaultValue("100") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("500") @Min(1) int maxSubscriptions,
        @DefaultValue @NotNull @Valid Cache cache,
        @DefaultValue("15s") @NotNull Duration metricsInterval,
        String instanceId,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 0) @DurationMax(minutes = 10) Duration shutdownGrace) {

    /** The settings prefix of the TLS files, named in start-up errors. */
    public static final String TLS_PREFIX = "hydrant.doppler.tls";

    /**
     * @param certFile PEM certificate the doppler presents ({@code hydrant.doppler.tls.cert-file})
     * @param keyFile  its PKCS#8 PEM key ({@code hydrant.doppler.tls.key-file})
     * @param caFile   CA that clients' certificates must chain to ({@code hydrant.doppler.tls.ca-file})
     */
    public record Tls(Path certFile, Path keyFile, Path caFile) {

        public TlsFiles files() {
            return new TlsFiles(certFile, keyFile, caFile);
        }
    }

    /**
     * @param perSource  envelopes kept per source id
     * @param maxBytes   bytes kept in all (an envelope weighs its encoded size plus 64 bytes for the objects
     *                   holding it); least recently used source ids go first
     * @param maxSources source ids kept at most
     */
    public record Cache(
            @DefaultValue("1000") @Min(1) int perSource,
            @DefaultValue("33554432") @Min(1) long maxBytes,
            @DefaultValue("10000") @Min(1) int maxSources) {
    }
}
