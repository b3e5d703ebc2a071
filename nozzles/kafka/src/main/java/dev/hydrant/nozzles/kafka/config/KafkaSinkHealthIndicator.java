package dev.hydrant.nozzles.kafka.config;

import dev.hydrant.nozzles.kafka.sink.KafkaEnvelopeSink;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health/kafkaSink}: DOWN while the last batch was not acknowledged whole, with the topic,
 * the brokers and the last error. The SDK's {@code nozzle} indicator covers the firehose side.
 */
final class KafkaSinkHealthIndicator implements HealthIndicator {

    private final KafkaEnvelopeSink sink;
    private final String bootstrapServers;

    KafkaSinkHealthIndicator(KafkaEnvelopeSink sink, String bootstrapServers) {
        this.sink = sink;
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public Health health() {
        return (sink.healthy() ? Health.up() : Health.down())
                .withDetail("topic", sink.topic())
                .withDetail("bootstrapServers", bootstrapServers)
                .withDetail("lastError", sink.lastError())
                .build();
    }
}
