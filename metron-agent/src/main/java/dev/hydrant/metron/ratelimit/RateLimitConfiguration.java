package dev.hydrant.metron.ratelimit;

import dev.hydrant.metron.config.MetronMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the per-app log rate limit the ingress applies to every input (off unless a limit is set). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public final class RateLimitConfiguration {

    @Bean
    AppLogRateLimiter metronAppLogRateLimiter(RateLimitProperties properties, MetronMeters meters,
                                              MeterRegistry registry) {
        RateLimitMeters limitMeters = RateLimitMeters.register(registry);
        return properties.checkedLimit()
                .map(limit -> new AppLogRateLimiter(limit, properties.maxSources(), limitMeters, meters.ingress(),
                        System::nanoTime, Clock.systemUTC()))
                .orElse(AppLogRateLimiter.off());
    }
}
