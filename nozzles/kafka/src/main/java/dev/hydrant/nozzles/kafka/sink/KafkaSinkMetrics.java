package dev.hydrant.nozzles.kafka.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Kafka nozzle's meters, declared and described here (nozzles/kafka/README.md lists them). The SDK's
 * {@code nozzle.*} meters count the firehose side.
 */
public final class KafkaSinkMetrics {

    final Counter sent;
    final Counter failed;
    final Counter bytes;
    final Counter tooLarge;

    public KafkaSinkMetrics(MeterRegistry registry) {
        sent = Counter.builder("kafka.sink.sent").description("records the broker acknowledged").register(registry);
        failed = Counter.builder("kafka.sink.failed")
                .description("records the broker did not acknowledge (their batch is written again)").register(registry);
        bytes = Counter.builder("kafka.sink.bytes").baseUnit("bytes")
                .description("envelope bytes in the records the broker acknowledged").register(registry);
        tooLarge = Counter.builder("kafka.sink.too.large")
                .description("envelopes dropped because the producer or the topic refused their record as too large"
                        + " (the rest of their batch is written)").register(registry);
    }
}
