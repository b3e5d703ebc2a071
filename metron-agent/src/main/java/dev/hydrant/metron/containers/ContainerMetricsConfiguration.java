package dev.hydrant.metron.containers;

import dev.hydrant.metron.ingress.IngressService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the container metrics of the configured cgroups: each gets a {@link ContainerSampler} whose
 * gauges enter the agent as received envelopes do (tagged, counted as {@code ingress}, buffered).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ContainerMetricsProperties.class)
public final class ContainerMetricsConfiguration {

    @Bean
    ContainerMetricsScheduler metronContainerMetrics(ContainerMetricsProperties properties, IngressService ingress,
                                                     MeterRegistry registry) {
        Optional<Cgroups> mount = properties.cgroups().isEmpty() ? Optional.empty() : Cgroups.host();
        List<Path> directories = properties.check(mount);
        Proc proc = Proc.host();
        List<ContainerSampler> samplers = new ArrayList<>();
        for (int i = 0; i < directories.size(); i++) {
            ContainerMetricsProperties.Cgroup cgroup = properties.cgroups().get(i);
            Counter failures = ContainerMetricsMeters.failures(registry, cgroup.sourceId(), cgroup.instanceId());
            samplers.add(new ContainerSampler(
                    new CgroupContainer(mount.orElseThrow(), proc, directories.get(i), Optional.ofNullable(cgroup.diskPath())),
                    cgroup.sourceId(), cgroup.instanceId(), failures::increment, "container.metrics.failures", Clock.systemUTC(),
                    System::nanoTime));
        }
        return new ContainerMetricsScheduler(samplers, properties.interval(), ingress::acceptWithTotals);
    }
}
