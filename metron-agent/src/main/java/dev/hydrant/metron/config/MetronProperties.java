package dev.hydrant.metron.config;

import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.tls.TlsFiles;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The agent's settings, {@code hydrant.metron.*}. Defaults follow docs/wire.md section 8.
 *
 * @param host                   where the v2 ingress listens; localhost only by default
 * @param port                   the v2 ingress port (0 picks a free one)
 * @param tls                    the agent's certificate: served on ingress and presented to Dopplers
 * @param dopplers               Dopplers as {@code host:port}, an IPv6 address in brackets ({@code [::1]:8082});
 *                               a name resolving to many addresses is many Dopplers; {@code 127.0.0.1:8082} when neither these nor
 *                               {@code zone-dopplers} ({@link ZoneProperties}) are set
 * @param dopplerResolveInterval how often the Doppler names are resolved again
 * @param dopplerServerName      the name a Doppler's certificate must carry
 * @param streamsPerDoppler      BatchSender streams (and sender threads) per Doppler address; 2 by default, which
 *                               forwarded more than 1 in paired runs (serialising a batch happens on its worker)
 * @param bufferSize             envelopes waiting for a Doppler at most (drop oldest beyond)
 * @param bufferBytes            bytes of envelopes (as they are framed into a batch) waiting for a Doppler at most
 *                               (drop oldest beyond; the newest envelope is always kept, however big); when unset
 *                               32 MB, or 512 bytes per envelope of {@code bufferSize} where that is more, see
 *                               {@link #bufferBytesLimit()}: the buffer holds at most that plus about 72 bytes per
 *                               envelope of {@code bufferSize} of heap
 * @param batchSize              envelopes per batch to a Doppler at most
 * @param batchInterval          a batch leaves after this long even if not full
 * @param streamMaxAge           a stream to a Doppler is closed (and its content confirmed) after this long ...
 * @param streamMaxEnvelopes     ... or after this many envelopes: what a broken stream can lose at most
 * @param deployment             tag {@code deployment} added to every envelope when set
 * @param job                    tag {@code job} added to every envelope when set
 * @param index                  tag {@code index} added to every envelope when set
 * @param ip                     tag {@code ip} added to every envelope when set
 * @param metricsInterval        how often the agent's own metrics are emitted as envelopes
 * @param instanceId             instance id of the agent's own envelopes; when blank the host name, else "0"
 * @param counterTotalsLimit     counters (source id, name) whose totals are kept at most
 * @param shutdownGrace          how long a stopping agent keeps forwarding what it holds and waits for the
 *                               Dopplers to confirm it; the whole stop takes at most this plus half a second
 * @param udpEnabled             whether the legacy v1 UDP ingress listens (on {@code host})
 * @param udpPort                its port (0 picks a free one)
 */
@ConfigurationProperties("hydrant.metron")
@Validated
public record MetronProperties(
        @DefaultValue("127.0.0.1") @NotBlank String host,
        @DefaultValue("3458") @Min(0) @Max(65535) int port,
        @DefaultValue @Valid Tls tls,
        @DefaultValue List<@NotBlank String> dopplers,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 1) Duration dopplerResolveInterval,
        @DefaultValue("doppler") @NotBlank String dopplerServerName,
        @DefaultValue("2") @Min(1) @Max(2) int streamsPerDoppler,
        @DefaultValue("65536") @Min(1) int bufferSize,
        DataSize bufferBytes,
        @DefaultValue("100") @Min(1) int batchSize,
        @DefaultValue("100ms") @NotNull @DurationMin(millis = 1) Duration batchInterval,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration streamMaxAge,
        @DefaultValue("5000") @Min(1) int streamMaxEnvelopes,
        String deployment,
        String job,
        String index,
        String ip,
        @DefaultValue("15s") @NotNull @DurationMin(millis = 1) Duration metricsInterval,
        String instanceId,
        @DefaultValue("10000") @Min(1) int counterTotalsLimit,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 0) @DurationMax(minutes = 10) Duration shutdownGrace,
        @DefaultValue("true") boolean udpEnabled,
        @DefaultValue("3457") @Min(0) @Max(65535) int udpPort) {

    /** Prefix of the agent's settings. */
    public static final String PREFIX = "hydrant.metron";

    /** Prefix of the TLS settings, named in errors about the files. */
    public static final String TLS_PREFIX = PREFIX + ".tls";

    /** The least {@code buffer-bytes}: a full batch (1 MiB) and then some. */
    public static final DataSize MIN_BUFFER_BYTES = DataSize.ofMegabytes(2);

    /** {@code buffer-bytes} when unset and {@code buffer-size} is at most 65,536. */
    public static final DataSize DEFAULT_BUFFER_BYTES = DataSize.ofMegabytes(32);

    /** Room per envelope of {@code buffer-size} that an unset {@code buffer-bytes} gives at least. */
    private static final long DEFAULT_BYTES_PER_ENVELOPE = 512;

    public MetronProperties {
        if (bufferBytes != null && bufferBytes.compareTo(MIN_BUFFER_BYTES) < 0) {
            throw new InvalidSettingException(PREFIX + ".buffer-bytes",
                    "must be at least " + MIN_BUFFER_BYTES.toMegabytes() + "MB, was " + bufferBytes);
        }
    }

    /**
     * The bound of the buffer in bytes: {@code buffer-bytes}, or when unset 32 MB or 512 bytes per envelope of
     * {@code buffer-size}, whichever is more (so that a larger {@code buffer-size} alone still makes room for that
     * many ordinary envelopes, while envelopes of many kilobytes are bounded by bytes).
     */
    public long bufferBytesLimit() {
        return bufferBytes != null ? bufferBytes.toBytes()
                : Math.max(DEFAULT_BUFFER_BYTES.toBytes(), bufferSize * DEFAULT_BYTES_PER_ENVELOPE);
    }

    /**
     * The agent's certificate, key and CA (PEM). Required: a missing or unreadable file stops
     * start-up with the name of its setting.
     */
    public record Tls(Path certFile, Path keyFile, Path caFile) {

        /** The files, checked. */
        public TlsFiles files() {
            return new TlsFiles(certFile, keyFile, caFile).validate(TLS_PREFIX);
        }
    }
}
