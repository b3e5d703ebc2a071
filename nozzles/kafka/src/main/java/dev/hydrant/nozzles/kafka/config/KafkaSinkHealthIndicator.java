package dev.hydrant.nozzles.kafka.config;

import dev.hydrant.nozzles.kafka.sink.KafkaEnvelopeSink;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health/kafkaSink}: DOWN from the first batch not acknowledged whole (no broker reachable
 * within the write timeout, or a record refused) until a batch is again, with the topic, the brokers, the write
 * timeout and the last error. The SDK's {@code nozzle} indicator covers the firehose side.
 */
final class KafkaSinkHealthIndicator implements HealthIndicator {

    private final KafkaEnvelopeSink sink;

    KafkaSinkHealthIndicator(KafkaEnvelopeSink sink) {
        this.sink = sink;
    }

    @Override
    public Health health() {
        return (sink.healthy() ? Health.up() : Health.down())
                .withDetail("topic", sink.topic())
                .withDetail("bootstrapServers", sink.bootstrapServers())
                .withDetail("writeTimeout", sink.writeTimeout().toString())
                .withDetail("lastError", sink.lastError())
                .build();
    }
}
