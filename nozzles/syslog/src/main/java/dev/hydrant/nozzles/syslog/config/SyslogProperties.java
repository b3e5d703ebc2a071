package dev.hydrant.nozzles.syslog.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the syslog drain nozzle, under {@code hydrant.nozzle.syslog}; the firehose and the token are
 * the nozzle SDK's {@code hydrant.nozzle.*}.
 *
 * @param bindingsUrl        where {@code /v1/drains} is served; the Traffic Controller ({@code hydrant.nozzle.url}) when unset
 * @param pollInterval       how often the bindings are read (a change takes effect within one interval)
 * @param bufferSize         messages one drain holds while it is slow or down; beyond, its oldest are dropped
 * @param batchSize          messages one write to a drain takes at most
 * @param minBackoff         first wait after a failed connect or write to a drain
 * @param maxBackoff         longest wait between attempts (docs/wire.md section 7: 15 s)
 * @param connectTimeout     a connect, TLS handshake or HTTPS request to a drain not done by then has failed
 * @param blockedRanges      CIDRs no drain may connect to (checked before every connect)
 * @param allowedRanges      CIDRs allowed even inside a blocked range (tests, local use)
 * @param maxLabelledDrains  drains with their own metric series; the others share {@code drain="other"}
 * @param lossReportInterval a drain's loss is told to its app at most once per this long
 * @param metricsInterval    how often the nozzle's own meters go into the firehose (through Metron)
 * @param instanceId         this instance's id in its metric envelopes; the host's when unset
 * @param metron             the Metron agent loss reports and metrics go through
 */
@Validated
@ConfigurationProperties(SyslogProperties.PREFIX)
public record SyslogProperties(
        URI bindingsUrl,
        @DefaultValue("2s") @NotNull Duration pollInterval,
        @DefaultValue("10000") @Min(1) int bufferSize,
        @DefaultValue("100") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("100ms") @NotNull Duration minBackoff,
        @DefaultValue("15s") @NotNull Duration maxBackoff,
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue({"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7",
                "169.254.0.0/16", "fe80::/10", "0.0.0.0/8"}) List<String> blockedRanges,
        @DefaultValue List<String> allowedRanges,
        @DefaultValue("100") @Min(0) int maxLabelledDrains,
        @DefaultValue("1m") @NotNull Duration lossReportInterval,
        @DefaultValue("15s") @NotNull Duration metricsInterval,
        String instanceId,
        @DefaultValue @Valid Metron metron) {

    public static final String PREFIX = "hydrant.nozzle.syslog";

    /**
     * @param address    Metron's v2 ingress, host:port
     * @param serverName the name Metron's certificate must be valid for
     * @param certFile   this nozzle's client certificate (PEM); unset: loss reports go to the nozzle's own log only
     * @param keyFile    its PKCS#8 key (PEM)
     * @param caFile     the CA that signs Metron's certificate (PEM)
     */
    public record Metron(@DefaultValue("localhost:3458") @NotBlank String address,
                         @DefaultValue("metron") @NotBlank String serverName,
                         Path certFile, Path keyFile, Path caFile) {
    }
}
