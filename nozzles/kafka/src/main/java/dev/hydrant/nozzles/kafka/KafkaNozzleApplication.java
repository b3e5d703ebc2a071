package dev.hydrant.nozzles.kafka;

import dev.hydrant.plumbing.lifecycle.OwnJvm;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Kafka nozzle: reads the firehose (or the chosen sources and types) as a shard group and writes every
 * envelope into a Kafka topic, keyed by its source id, the value its v2 protobuf bytes.
 */
@SpringBootApplication
public class KafkaNozzleApplication {

    /** Boot's and the SDK's settings as this nozzle wants them by default; every one can be overridden. */
    public static final Map<String, Object> BOOT_DEFAULTS = Map.of(
            "server.port", "8095",
            "management.endpoints.web.exposure.include", "health,prometheus",
            "management.endpoint.health.show-details", "always",
            "hydrant.nozzle.subscription-id", "hydrant-kafka",
            "hydrant.nozzle.batch-size", "1000",
            "hydrant.nozzle.buffer-size", "50000",
            // the client says "Connection to node ... could not be established" (NetworkClient, WARN) and
            // "Rebootstrapping with ..." (Metadata, INFO) at every reconnect, up to once a second; the sink's health,
            // the SDK's one WARN line and kafka.sink.failed tell an outage once
            "logging.level.org.apache.kafka.clients.NetworkClient", "ERROR",
            "logging.level.org.apache.kafka.clients.Metadata", "WARN",
            // a record refused as too large makes the idempotent producer resend the batches in flight behind it
            // ("Got error produce response ... OUT_OF_ORDER_SEQUENCE_NUMBER", WARN, per retried batch); the sink's one
            // rate-limited line and kafka.sink.too.large tell it, and a batch that still fails is the SDK's WARN
            "logging.level.org.apache.kafka.clients.producer.internals.Sender", "ERROR",
            "spring.application.name", "kafka-nozzle");

    public static void main(String[] args) {
        OwnJvm.prepare(new SpringApplication(KafkaNozzleApplication.class), BOOT_DEFAULTS).run(args);
    }
}
