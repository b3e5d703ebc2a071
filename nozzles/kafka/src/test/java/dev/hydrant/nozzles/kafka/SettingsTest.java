package dev.hydrant.nozzles.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.nozzles.kafka.config.KafkaNozzleConfiguration;
import dev.hydrant.nozzles.kafka.config.KafkaSinkProperties;
import dev.hydrant.plumbing.config.InvalidSettingException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** hydrant.nozzle.kafka-sink.* as the producer gets them. */
class SettingsTest {

    private static KafkaSinkProperties settings(String acks, String compression, Map<String, String> properties) {
        return new KafkaSinkProperties("127.0.0.1:9092", "envelopes", acks, compression, Duration.ofMillis(5),
                DataSize.ofKilobytes(64), Duration.ofSeconds(30), null, properties);
    }

    private static KafkaSinkProperties timeouts(Duration writeTimeout, Duration requestTimeout) {
        return new KafkaSinkProperties("127.0.0.1:9092", "envelopes", "all", "lz4", Duration.ofMillis(5),
                DataSize.ofKilobytes(64), writeTimeout, requestTimeout, Map.of());
    }

    @Test
    void byDefault_theProducerIsIdempotent_acksAll_lz4() {
        Map<String, Object> config = KafkaNozzleConfiguration.producerConfig(settings("all", "lz4", Map.of()));
        assertThat(config).containsEntry("enable.idempotence", true).containsEntry("acks", "all")
                .containsEntry("compression.type", "lz4").containsEntry("linger.ms", 5)
                .containsEntry("batch.size", 65536).containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void theProducerTakesHydrantsLargestEnvelope_unlessThePropertiesSayOtherwise() {
        assertThat(KafkaNozzleConfiguration.producerConfig(settings("all", "lz4", Map.of())))
                .containsEntry("max.request.size", 10 * 1024 * 1024 + 64 * 1024);
        assertThat(KafkaNozzleConfiguration.producerConfig(settings("all", "lz4", Map.of("max.request.size", "2000000"))))
                .containsEntry("max.request.size", "2000000");
    }

    @Test
    void theWriteTimeoutBoundsTheProducersWaits_andTheRequestTimeoutDefaultsToAThirdOfIt() {
        assertThat(KafkaNozzleConfiguration.producerConfig(settings("all", "lz4", Map.of())))
                .containsEntry("max.block.ms", 30_000L).containsEntry("delivery.timeout.ms", 30_000)
                .containsEntry("request.timeout.ms", 10_000);
        assertThat(KafkaNozzleConfiguration.producerConfig(timeouts(Duration.ofMinutes(5), null)))
                .containsEntry("delivery.timeout.ms", 300_000).containsEntry("request.timeout.ms", 30_000);
        assertThat(KafkaNozzleConfiguration.producerConfig(timeouts(Duration.ofSeconds(4), Duration.ofSeconds(2))))
                .containsEntry("max.block.ms", 4_000L).containsEntry("request.timeout.ms", 2_000);
    }

    @Test
    void timeoutsKafkaWouldRefuse_orTheMapSettingTheTimeouts_failNamingTheSetting() {
        assertThatThrownBy(() -> KafkaNozzleConfiguration.producerConfig(timeouts(Duration.ofMillis(500), null)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("hydrant.nozzle.kafka-sink.write-timeout");
        assertThatThrownBy(() -> KafkaNozzleConfiguration.producerConfig(
                timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10))))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("hydrant.nozzle.kafka-sink.request-timeout")
                .hasMessageContaining("delivery.timeout.ms >= linger.ms + request.timeout.ms");
        assertThatThrownBy(() -> KafkaNozzleConfiguration.producerConfig(settings("all", "lz4",
                Map.of("delivery.timeout.ms", "120000"))))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("hydrant.nozzle.kafka-sink.properties.delivery.timeout.ms")
                .hasMessageContaining("write-timeout");
    }

    @Test
    void acksOtherThanAll_turnIdempotenceOff() {
        assertThat(KafkaNozzleConfiguration.producerConfig(settings("1", "zstd", Map.of())))
                .containsEntry("enable.idempotence", false).containsEntry("acks", "1");
    }

    @Test
    void thePropertiesMapPassesTlsAndSaslThrough_butTheNamedSettingsWin() {
        Map<String, Object> config = KafkaNozzleConfiguration.producerConfig(settings("all", "lz4", Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "acks", "0")));
        assertThat(config).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("acks", "all");
    }

    @Test
    void badValues_failNamingTheSetting() {
        assertThatThrownBy(() -> KafkaNozzleConfiguration.producerConfig(settings("2", "lz4", Map.of())))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("hydrant.nozzle.kafka-sink.acks");
        assertThatThrownBy(() -> KafkaNozzleConfiguration.producerConfig(settings("all", "brotli", Map.of())))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("hydrant.nozzle.kafka-sink.compression");
    }
}
