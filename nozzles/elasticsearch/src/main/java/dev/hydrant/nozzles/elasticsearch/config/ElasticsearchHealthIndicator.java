package dev.hydrant.nozzles.elasticsearch.config;

import dev.hydrant.nozzles.elasticsearch.http.ClusterStatus;
import dev.hydrant.nozzles.elasticsearch.template.TemplateInstaller;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health/elasticsearch}: DOWN until the index template is installed, and while the cluster
 * refuses the nozzle (credentials, privileges, TLS); a busy or unreachable cluster shows in the SDK's
 * {@code nozzle} health instead (its sink fails).
 */
final class ElasticsearchHealthIndicator implements HealthIndicator {

    private final TemplateInstaller template;
    private final ClusterStatus status;

    ElasticsearchHealthIndicator(TemplateInstaller template, ClusterStatus status) {
        this.template = template;
        this.status = status;
    }

    @Override
    public Health health() {
        Health.Builder builder = template.installed() && !status.refused() ? Health.up() : Health.down();
        return builder.withDetail("cluster", status.cluster())
                .withDetail("templateInstalled", template.installed())
                .withDetail("lastError", status.lastError())
                .build();
    }
}
