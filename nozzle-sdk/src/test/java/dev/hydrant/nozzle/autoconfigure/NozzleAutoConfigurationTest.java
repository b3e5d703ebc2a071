package dev.hydrant.nozzle.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.nozzle.auth.ClientCredentialsTokenProvider;
import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.Transport;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.nozzle.runtime.SourceMode;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class NozzleAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NozzleAutoConfiguration.class))
            .withPropertyValues("hydrant.nozzle.url=http://127.0.0.1:1");

    @Test
    void withoutASink_nothingIsConfigured() {
        runner.run(context -> assertThat(context).doesNotHaveBean(NozzleRuntime.class).doesNotHaveBean(HydrantClient.class));
    }

    @Test
    void withASink_theNozzleIsBuiltFromTheProperties() {
        runner.withBean(NozzleSink.class, () -> batch -> { })
                .withPropertyValues("hydrant.nozzle.transport=websocket", "hydrant.nozzle.client-id=nozzle",
                        "hydrant.nozzle.client-secret=s", "hydrant.nozzle.token-url=http://127.0.0.1:1/oauth/token")
                .run(context -> {
                    assertThat(context).hasSingleBean(NozzleRuntime.class).hasSingleBean(NozzleHealthIndicator.class);
                    assertThat(context.getBean(HydrantClient.class).transport()).isEqualTo(Transport.WEBSOCKET);
                    assertThat(context.getBean(TokenProvider.class)).isInstanceOf(ClientCredentialsTokenProvider.class);
                });
    }

    @Test
    void clientIdWithoutSecret_failsNamingTheSetting() {
        runner.withBean(NozzleSink.class, () -> batch -> { })
                .withPropertyValues("hydrant.nozzle.client-id=nozzle", "hydrant.nozzle.token-url=http://uaa/oauth/token")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("hydrant.nozzle.client-secret").hasMessageContaining("is required"));
    }

    @Test
    void grpcWithoutCertificates_failsNamingTheSetting() {
        runner.withBean(NozzleSink.class, () -> batch -> { })
                .withPropertyValues("hydrant.nozzle.transport=grpc")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("hydrant.nozzle.grpc.cert-file"));
    }

    @Test
    void aBatchSizeBelowOne_isRefusedByValidation() {
        runner.withBean(NozzleSink.class, () -> batch -> { })
                .withPropertyValues("hydrant.nozzle.batch-size=0")
                .run(context -> assertThat(context).getFailure()
                        .hasRootCauseInstanceOf(org.springframework.boot.context.properties.bind.validation.BindValidationException.class)
                        .rootCause().hasMessageContaining("batchSize"));
    }

    /** A sink configured as a nozzle's own configuration would: told by the SDK whether its source replays. */
    @Configuration(proxyBeanMethods = false)
    static class ModeAwareSink {
        @Bean
        NozzleSink sink(SourceMode mode) {
            return new RecordingSink(mode);
        }
    }

    record RecordingSink(SourceMode mode) implements NozzleSink {
        @Override
        public void write(List<Envelope> batch) {
        }
    }

    @Test
    void theSinksSourceMode_isLiveForTheFirehose_andReplayingForKafka() {
        runner.withUserConfiguration(ModeAwareSink.class).run(context -> {
            assertThat(context.getBean(SourceMode.class)).isEqualTo(SourceMode.LIVE);
            assertThat(context.getBean(RecordingSink.class).mode().replays()).isFalse();
        });
        runner.withUserConfiguration(ModeAwareSink.class).withPropertyValues("hydrant.nozzle.source=kafka")
                .run(context -> {
                    assertThat(context.getBean(SourceMode.class)).isEqualTo(SourceMode.REPLAYING);
                    assertThat(context.getBean(RecordingSink.class).mode().replays()).isTrue();
                });
    }
}
