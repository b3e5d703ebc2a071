package dev.hydrant.nozzles.kafka.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.nozzle.autoconfigure.NozzleAutoConfiguration;
import dev.hydrant.nozzle.autoconfigure.NozzleHealthIndicator;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.kafka.KafkaSource;
import dev.hydrant.nozzle.kafka.KafkaSourceAutoConfiguration;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import dev.hydrant.nozzle.runtime.NozzleSink;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** hydrant.nozzle.source picks what the SDK's auto-configuration reads from. */
class SourceSelectionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NozzleAutoConfiguration.class, KafkaSourceAutoConfiguration.class))
            .withBean(NozzleSink.class, () -> batch -> { })
            .withPropertyValues("hydrant.nozzle.url=http://127.0.0.1:1", "hydrant.nozzle.kafka.bootstrap-servers=127.0.0.1:1");

    @Test
    void byDefault_theFirehoseIsRead_andNoKafkaSourceIsMade() {
        runner.run(context -> assertThat(context).hasSingleBean(HydrantClient.class).doesNotHaveBean(KafkaSource.class));
    }

    @Test
    void sourceKafka_readsTheTopicInsteadOfTheFirehose_withTheSameRuntimeAndHealth() {
        runner.withPropertyValues("hydrant.nozzle.source=kafka").run(context -> assertThat(context)
                .hasSingleBean(KafkaSource.class).hasSingleBean(NozzleRuntime.class)
                .hasSingleBean(NozzleHealthIndicator.class).doesNotHaveBean(HydrantClient.class));
    }

    @Test
    void anUnknownSource_stopsTheStartUpNamingTheSetting() {
        runner.withPropertyValues("hydrant.nozzle.source=kafak").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("Failed to bind properties under 'hydrant.nozzle.source'"));
    }

    @Test
    void aBadConsumerProperty_stopsTheStartUpNamingTheSetting() {
        runner.withPropertyValues("hydrant.nozzle.source=kafka", "hydrant.nozzle.kafka.properties.max.poll.records=many")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("hydrant.nozzle.kafka.properties: Invalid value many"));
    }
}
