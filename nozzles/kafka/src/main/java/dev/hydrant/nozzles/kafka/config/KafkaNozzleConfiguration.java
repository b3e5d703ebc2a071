package dev.hydrant.nozzles.kafka.config;

import dev.hydrant.nozzles.kafka.sink.KafkaEnvelopeSink;
import dev.hydrant.nozzles.kafka.sink.KafkaSinkMetrics;
import dev.hydrant.plumbing.config.InvalidSettingException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The nozzle's composition root: the producer (idempotent with {@code acks=all}, its waits bounded by
 * {@code write-timeout}, {@code max.request.size} admitting Hydrant's largest envelope), the sink that is the nozzle SDK's {@code NozzleSink}, its meters and its health
 * indicator. The SDK reads the firehose into the sink.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaSinkProperties.class)
public class KafkaNozzleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaNozzleConfiguration.class);
    private static final String PREFIX = KafkaSinkProperties.PREFIX;
    private static final Set<String> ACKS = Set.of("all", "-1", "1", "0");
    private static final Set<String> COMPRESSION = Set.of("lz4", "zstd", "snappy", "gzip", "none");
    private static final Set<String> TIMEOUTS = Set.of(ProducerConfig.MAX_BLOCK_MS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);

    @Bean(destroyMethod = "close")
    KafkaEnvelopeSink kafkaEnvelopeSink(KafkaSinkProperties properties, MeterRegistry registry) {
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(producerConfig(properties), new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new InvalidSettingException(PREFIX + ".properties", String.valueOf(e.getMessage()), e);
        }
        return new KafkaEnvelopeSink(producer, properties.topic(), properties.bootstrapServers(),
                properties.writeTimeout(), new KafkaSinkMetrics(registry));
    }

    @Bean
    KafkaSinkHealthIndicator kafkaSinkHealthIndicator(KafkaEnvelopeSink sink) {
        return new KafkaSinkHealthIndicator(sink);
    }

    /** The properties map, then the settings this nozzle names (which win), then what it needs fixed. */
    public static Map<String, Object> producerConfig(KafkaSinkProperties properties) {
        String acks = properties.acks().toLowerCase(Locale.ROOT);
        if (!ACKS.contains(acks)) {
            throw new InvalidSettingException(PREFIX + ".acks", "must be all, 1 or 0, was " + properties.acks());
        }
        String compression = properties.compression().toLowerCase(Locale.ROOT);
        if (!COMPRESSION.contains(compression)) {
            throw new InvalidSettingException(PREFIX + ".compression",
                    "must be lz4, zstd, snappy, gzip or none, was " + properties.compression());
        }
        if (properties.linger().isNegative()) {
            throw new InvalidSettingException(PREFIX + ".linger", "must not be negative, was " + properties.linger());
        }
        if (properties.batchSize().toBytes() < 1 || properties.batchSize().toBytes() > Integer.MAX_VALUE) {
            throw new InvalidSettingException(PREFIX + ".batch-size", "must be 1B to 2GB, was " + properties.batchSize());
        }
        Duration requestTimeout = checkTimeouts(properties);
        boolean idempotent = acks.equals("all") || acks.equals("-1");
        if (!idempotent) {
            log.warn("{}.acks={}: the producer is not idempotent (that needs acks=all), and a broker failure can lose"
                    + " or duplicate records", PREFIX, acks);
        }
        Map<String, Object> config = new HashMap<>(properties.properties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, properties.linger().toMillis()));
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, (int) properties.batchSize().toBytes());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.writeTimeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) properties.writeTimeout().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout.toMillis());
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "hydrant-kafka-nozzle");
        // Hydrant's largest envelope, not Kafka's 1 MiB: a bigger record is refused, dropped and counted
        config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KafkaEnvelopeSink.LARGEST_RECORD);
        return config;
    }

    /**
     * Checks {@code write-timeout} and {@code request-timeout} (and that the properties map leaves the producer's
     * timeouts to them); returns the request timeout: as set, or a third of the write timeout, at most 30 s.
     */
    private static Duration checkTimeouts(KafkaSinkProperties properties) {
        for (String owned : TIMEOUTS) {
            if (properties.properties().containsKey(owned)) {
                throw new InvalidSettingException(PREFIX + ".properties." + owned,
                        "the producer's timeouts are set by " + PREFIX + ".write-timeout and request-timeout");
            }
        }
        Duration write = properties.writeTimeout();
        if (write.compareTo(Duration.ofSeconds(1)) < 0 || write.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidSettingException(PREFIX + ".write-timeout", "must be 1s to 24 days, was " + write);
        }
        Duration request = properties.requestTimeout();
        if (request != null && request.toMillis() < 1) {
            throw new InvalidSettingException(PREFIX + ".request-timeout", "must be at least 1ms, was " + request);
        }
        Duration chosen = request != null ? request : min(write.dividedBy(3), Duration.ofSeconds(30));
        if (properties.linger().plus(chosen).compareTo(write) > 0) {
            throw new InvalidSettingException(PREFIX + (request != null ? ".request-timeout" : ".write-timeout"),
                    "linger (" + properties.linger() + ") + request-timeout (" + chosen + ") must not exceed"
                            + " write-timeout (" + write + "): Kafka wants delivery.timeout.ms >= linger.ms"
                            + " + request.timeout.ms");
        }
        return chosen;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
