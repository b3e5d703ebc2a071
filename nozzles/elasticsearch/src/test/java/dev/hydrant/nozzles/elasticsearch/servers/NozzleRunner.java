package dev.hydrant.nozzles.elasticsearch.servers;

import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.elasticsearch.ElasticsearchNozzleApplication;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The nozzle app, started in the test's JVM with its real configuration, reading the firehose from a fake or
 * a real Traffic Controller and writing to the cluster at {@code url}.
 */
public final class NozzleRunner implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    public NozzleRunner(FakeTrafficController firehose, String url, Map<String, String> settings) {
        this(firehose.baseUrl(), url, settings);
        await("the nozzle reading the firehose").atMost(Patience.WAIT).until(() -> firehose.subscribers() > 0);
    }

    /** Reading the Traffic Controller at {@code firehoseUrl} (set {@code hydrant.nozzle.token} as it needs). */
    public NozzleRunner(String firehoseUrl, String url, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("hydrant.nozzle.url", firehoseUrl);
        all.put("hydrant.nozzle.batch-interval", "20ms");
        all.put("hydrant.nozzle.elasticsearch.url", url);
        all.put("hydrant.nozzle.elasticsearch.replicas", "0");
        all.put("hydrant.nozzle.elasticsearch.min-backoff", "20ms");
        all.put("hydrant.nozzle.elasticsearch.max-backoff", "200ms");
        all.putAll(settings);
        List<String> args = new ArrayList<>();
        all.forEach((key, value) -> args.add("--" + key + "=" + value));
        context = new SpringApplicationBuilder(ElasticsearchNozzleApplication.class)
                .properties(new HashMap<>(ElasticsearchNozzleApplication.BOOT_DEFAULTS))
                .run(args.toArray(String[]::new));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public MeterRegistry registry() {
        return bean(MeterRegistry.class);
    }

    /** The sum of every meter called {@code name} with these tags (key, value...): counters by count, gauges by value. */
    public double metric(String name, String... tags) {
        double total = 0;
        for (Meter meter : registry().find(name).tags(tags).meters()) {
            for (Measurement measurement : meter.measure()) {
                if (measurement.getStatistic() == io.micrometer.core.instrument.Statistic.COUNT
                        || measurement.getStatistic() == io.micrometer.core.instrument.Statistic.VALUE) {
                    total += measurement.getValue();
                }
            }
        }
        return total;
    }

    /** The status of the health indicator bean {@code name} ("elasticsearchHealthIndicator", "nozzleHealthIndicator"). */
    public Status health(String name) {
        return context.getBean(name, HealthIndicator.class).health().getStatus();
    }

    @Override
    public void close() {
        context.close();
    }
}
