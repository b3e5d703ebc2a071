package dev.hydrant.nozzle.autoconfigure;

import dev.hydrant.nozzle.runtime.NozzleHealth;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The nozzle's health ({@code /actuator/health/nozzle}): UP while its stream is connected and its sink
 * writes; DOWN otherwise, with the counts and the last failures as details, and in {@code problem} what the
 * operator must fix when the Traffic Controller refuses the nozzle (token, certificate, address).
 */
public final class NozzleHealthIndicator implements HealthIndicator {

    private final NozzleRuntime runtime;
    private final NozzleConnectionState connection;

    public NozzleHealthIndicator(NozzleRuntime runtime, NozzleConnectionState connection) {
        this.runtime = runtime;
        this.connection = connection;
    }

    @Override
    public Health health() {
        NozzleHealth health = runtime.health();
        Health.Builder builder = health.up() && connection.connected() ? Health.up() : Health.down();
        return builder
                .withDetail("connected", connection.connected())
                .withDetail("lastConnectionFailure", connection.lastFailure())
                .withDetail("problem", connection.problem())
                .withDetail("sinkHealthy", health.sinkHealthy())
                .withDetail("lastSinkError", health.lastSinkError())
                .withDetail("received", health.received())
                .withDetail("written", health.written())
                .withDetail("dropped", health.dropped())
                .withDetail("sinkErrors", health.sinkErrors())
                .withDetail("buffered", health.buffered())
                .withDetail("bufferCapacity", health.bufferCapacity())
                .build();
    }
}
