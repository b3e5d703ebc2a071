package dev.hydrant.nozzle.kafka;

import dev.hydrant.nozzle.autoconfigure.NozzleAutoConfiguration;
import dev.hydrant.nozzle.autoconfigure.NozzleConnectionState;
import dev.hydrant.nozzle.autoconfigure.NozzleProperties;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.plumbing.config.InvalidSettingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.KafkaException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With {@code hydrant.nozzle.source=kafka}, a nozzle reads a Kafka topic (as {@code nozzles/kafka} writes it)
 * instead of the Traffic Controller: the {@link KafkaSource} feeds the same {@link NozzleRuntime}, sink, health
 * indicator and metrics as the firehose does, but nothing is dropped and offsets are committed only after the
 * sink has taken the records. A bad setting stops the start-up with "Invalid setting hydrant.nozzle.kafka.<name>".
 */
@AutoConfiguration(after = NozzleAutoConfiguration.class)
@ConditionalOnBean(NozzleSink.class)
@ConditionalOnClass(name = "org.apache.kafka.clients.consumer.KafkaConsumer")
@ConditionalOnProperty(prefix = NozzleProperties.PREFIX, name = "source", havingValue = "kafka")
@EnableConfigurationProperties(KafkaSourceProperties.class)
public final class KafkaSourceAutoConfiguration {

    private static final String PREFIX = KafkaSourceProperties.PREFIX;

    @Bean
    @ConditionalOnMissingBean
    KafkaSource kafkaSource(KafkaSourceProperties properties, NozzleProperties nozzle, NozzleConnectionState connection,
                            ObjectProvider<MeterRegistry> registry) {
        String groupId = properties.groupId() == null || properties.groupId().isBlank()
                ? nozzle.subscriptionId() : properties.groupId();
        KafkaSourceSettings settings;
        try {
            settings = new KafkaSourceSettings("nozzle", properties.bootstrapServers(), properties.topic(), groupId,
                    properties.properties(), properties.pollTimeout(), properties.commitTimeout());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(PREFIX, e.getMessage(), e);
        }
        try {
            return new KafkaSource(settings, connection, registry.getIfAvailable(SimpleMeterRegistry::new));
        } catch (KafkaException e) {
            throw new InvalidSettingException(PREFIX + ".properties", e.getMessage(), e);
        }
    }

    @Bean
    KafkaSourceLifecycle kafkaSourceLifecycle(NozzleRuntime runtime, KafkaSource source) {
        return new KafkaSourceLifecycle(runtime, source);
    }
}
