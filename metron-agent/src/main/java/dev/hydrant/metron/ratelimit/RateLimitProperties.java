package dev.hydrant.metron.ratelimit;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The per-app log rate limit, {@code hydrant.metron.app-log-rate-limit.*}; off unless one limit is set.
 * Checked by {@link #checkedLimit()}: a bad value stops start-up naming its setting.
 *
 * @param linesPerSecond log envelopes per second per app instance at most
 * @param bytesPerSecond log payload bytes per second per app instance at most ({@code 64KB}, {@code 1MB}, a number of bytes)
 * @param maxSources     app instances (source id, instance id) remembered at most
 */
@ConfigurationProperties(RateLimitProperties.PREFIX)
public record RateLimitProperties(Long linesPerSecond, DataSize bytesPerSecond,
                                  @DefaultValue("10000") int maxSources) {

    /** Prefix of these settings. */
    public static final String PREFIX = "hydrant.metron.app-log-rate-limit";

    /** The limit, when one is set; a bad setting stops start-up naming it. */
    public Optional<LogRateLimit> checkedLimit() {
        if (maxSources < 1) {
            throw new InvalidSettingException(PREFIX + ".max-sources", "must be positive, was " + maxSources);
        }
        if (linesPerSecond != null && bytesPerSecond != null) {
            throw new InvalidSettingException(PREFIX + ".bytes-per-second",
                    "set either it or " + PREFIX + ".lines-per-second, not both");
        }
        if (linesPerSecond != null) {
            if (linesPerSecond < 1) {
                throw new InvalidSettingException(PREFIX + ".lines-per-second",
                        "must be positive (leave it unset for no limit), was " + linesPerSecond);
            }
            return Optional.of(new LogRateLimit(linesPerSecond, LogRateLimit.Unit.LINES));
        }
        if (bytesPerSecond != null) {
            if (bytesPerSecond.toBytes() < 1) {
                throw new InvalidSettingException(PREFIX + ".bytes-per-second",
                        "must be positive (leave it unset for no limit), was " + bytesPerSecond);
            }
            return Optional.of(new LogRateLimit(bytesPerSecond.toBytes(), LogRateLimit.Unit.BYTES));
        }
        return Optional.empty();
    }
}
