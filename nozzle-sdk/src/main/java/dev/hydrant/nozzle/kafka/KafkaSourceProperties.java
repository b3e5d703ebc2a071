package dev.hydrant.nozzle.kafka;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Kafka source's settings, under {@code hydrant.nozzle.kafka}, used when {@code hydrant.nozzle.source=kafka}.
 *
 * @param bootstrapServers the brokers to start from, host:port[,host:port...]
 * @param topic            the topic {@code nozzles/kafka} writes
 * @param groupId          the consumer group; readers sharing it split the partitions ({@code hydrant.nozzle.subscription-id} when unset)
 * @param properties       any other consumer properties, passed as they are: TLS ({@code security.protocol},
 *                         {@code ssl.truststore.location}, ...), SASL, {@code auto.offset.reset}, {@code group.instance.id}
 * @param pollTimeout      longest one poll waits for records
 * @param commitTimeout    longest one offset commit may take
 */
@Validated
@ConfigurationProperties(KafkaSourceProperties.PREFIX)
public record KafkaSourceProperties(
        @DefaultValue("localhost:9092") @NotBlank String bootstrapServers,
        @DefaultValue("hydrant-envelopes") @NotBlank String topic,
        String groupId,
        @DefaultValue Map<String, String> properties,
        @DefaultValue("500ms") @NotNull Duration pollTimeout,
        @DefaultValue("10s") @NotNull Duration commitTimeout) {

    public static final String PREFIX = "hydrant.nozzle.kafka";
}
