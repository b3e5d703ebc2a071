package dev.hydrant.nozzles.syslog.config;

import dev.hydrant.nozzles.syslog.bindings.BindingsPoller;
import dev.hydrant.nozzles.syslog.bindings.Drains;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health/drains}: UP while the bindings are read; DOWN when the last read failed (the drains
 * then stay as they were) or none has succeeded yet. The number of drains bound is a detail.
 */
final class DrainsHealthIndicator implements HealthIndicator {

    private final BindingsPoller poller;
    private final Drains drains;

    DrainsHealthIndicator(BindingsPoller poller, Drains drains) {
        this.poller = poller;
        this.drains = drains;
    }

    @Override
    public Health health() {
        Health.Builder builder = poller.healthy() ? Health.up() : Health.down();
        return builder.withDetail("bindingsRead", poller.loaded())
                .withDetail("drainsBound", drains.writers().size())
                .build();
    }
}
