package dev.hydrant.nozzle.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How a {@link KafkaSource} reads.
 *
 * @param name             names the source in metrics (tag {@code nozzle}), logs and its thread
 * @param bootstrapServers the brokers to start from, host:port[,host:port...]
 * @param topic            the topic to read
 * @param groupId          the consumer group: readers sharing it split the topic's partitions
 * @param properties       any other consumer properties (TLS, SASL, {@code auto.offset.reset}, ...); the source
 *                         sets the deserializers and turns auto-commit off whatever this says
 * @param pollTimeout      longest one poll waits for records
 * @param commitTimeout    longest one commit may take; the writer waits this long at most for its batch's commit
 */
public record KafkaSourceSettings(String name, String bootstrapServers, String topic, String groupId,
                                  Map<String, String> properties, Duration pollTimeout, Duration commitTimeout) {

    /** A new group starts at the beginning of the topic: nothing already in it is skipped. */
    public static final String DEFAULT_AUTO_OFFSET_RESET = "earliest";

    public KafkaSourceSettings {
        Objects.requireNonNull(name, "name");
        required("bootstrapServers", bootstrapServers);
        required("topic", topic);
        required("groupId", groupId);
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        positive("pollTimeout", pollTimeout);
        positive("commitTimeout", commitTimeout);
    }

    /** The consumer's configuration: the properties, then what the source needs fixed. */
    Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, DEFAULT_AUTO_OFFSET_RESET);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "hydrant-" + name);
        config.putAll(properties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    private static void required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
