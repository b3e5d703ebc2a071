package dev.hydrant.nozzle.autoconfigure;

import dev.hydrant.plumbing.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a nozzle reads from: {@code hydrant.nozzle.source}, {@code firehose} (the Traffic Controller, the
 * default) or {@code kafka} (a topic written by {@code nozzles/kafka}, settings {@code hydrant.nozzle.kafka.*}).
 *
 * @param source the source
 */
@ConfigurationProperties(NozzleProperties.PREFIX)
public record NozzleSourceProperties(@DefaultValue("firehose") Source source) {

    static final String KAFKA_CLIENT = "org.apache.kafka.clients.consumer.KafkaConsumer";

    public NozzleSourceProperties {
        if (source == Source.KAFKA && !present(KAFKA_CLIENT)) {
            throw new InvalidSettingException(NozzleProperties.PREFIX + ".source",
                    "kafka needs org.apache.kafka:kafka-clients on the class path");
        }
    }

    /** The sources a nozzle can read. */
    public enum Source {
        FIREHOSE, KAFKA
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, NozzleSourceProperties.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
