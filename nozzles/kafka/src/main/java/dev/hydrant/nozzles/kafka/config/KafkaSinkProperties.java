package dev.hydrant.nozzles.kafka.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how the Kafka nozzle writes, under {@code hydrant.nozzle.kafka-sink}; what it reads is the nozzle
 * SDK's {@code hydrant.nozzle.*}.
 *
 * @param bootstrapServers the brokers to start from, host:port[,host:port...]
 * @param topic            the topic written; one record per envelope, key = source id, value = the envelope's bytes
 * @param acks             {@code all} (default: every in-sync replica has it), {@code 1} or {@code 0}; anything
 *                         but {@code all} turns the idempotent producer off, which needs it
 * @param compression      {@code lz4} (default), {@code zstd}, {@code snappy}, {@code gzip} or {@code none}
 * @param linger           how long the producer waits to fill a batch of a partition
 * @param batchSize        the largest batch of one partition the producer sends
 * @param writeTimeout     the longest one batch write waits: for the brokers' metadata (the producer's
 *                         {@code max.block.ms}) and for the acknowledgements ({@code delivery.timeout.ms}, from each
 *                         record's send); then the write fails and the SDK retries it
 * @param requestTimeout   the longest the producer waits for one answer of a broker before it retries within the
 *                         write timeout ({@code request.timeout.ms}); none: a third of {@code writeTimeout}, at most
 *                         30 s; {@code linger} + it must not exceed {@code writeTimeout}
 * @param properties       any other producer properties, passed as they are: TLS ({@code security.protocol},
 *                         {@code ssl.truststore.location}, ...), SASL ({@code sasl.mechanism}, {@code sasl.jaas.config}),
 *                         {@code max.request.size}, ...
 */
@Validated
@ConfigurationProperties(KafkaSinkProperties.PREFIX)
public record KafkaSinkProperties(
        @DefaultValue("localhost:9092") @NotBlank String bootstrapServers,
        @DefaultValue("hydrant-envelopes") @NotBlank String topic,
        @DefaultValue("all") @NotBlank String acks,
        @DefaultValue("lz4") @NotBlank String compression,
        @DefaultValue("5ms") @NotNull Duration linger,
        @DefaultValue("64KB") @NotNull DataSize batchSize,
        @DefaultValue("30s") @NotNull Duration writeTimeout,
        Duration requestTimeout,
        @DefaultValue Map<String, String> properties) {

    public static final String PREFIX = "hydrant.nozzle.kafka-sink";
}
