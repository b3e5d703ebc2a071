package dev.hydrant.nozzles.splunk.config;

import dev.hydrant.nozzles.splunk.hec.AckTracker;
import dev.hydrant.nozzles.splunk.hec.HecHealth;
import dev.hydrant.nozzles.splunk.hec.HecMetrics;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health/splunk}: DOWN while the HEC refuses the token or the TLS connection (with what to
 * fix) and while its requests fail (5xx, 429, network); UP otherwise. Counts as details.
 */
final class SplunkHealthIndicator implements HealthIndicator {

    private final HecHealth health;
    private final HecMetrics metrics;
    private final AckTracker acks;

    SplunkHealthIndicator(HecHealth health, HecMetrics metrics, AckTracker acks) {
        this.health = health;
        this.metrics = metrics;
        this.acks = acks;
    }

    @Override
    public Health health() {
        HecHealth.Refusal refusal = health.refusal();
        Health.Builder builder = health.up() ? Health.up() : Health.down();
        if (refusal != null) {
            builder.withDetail("refused", refusal.problem());
        }
        return builder.withDetail("lastError", health.lastError())
                .withDetail("sent", metrics.sent())
                .withDetail("rejected", metrics.rejected())
                .withDetail("acksPending", acks == null ? 0 : acks.pending())
                .build();
    }
}
