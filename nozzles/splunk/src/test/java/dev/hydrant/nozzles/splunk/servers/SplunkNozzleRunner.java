package dev.hydrant.nozzles.splunk.servers;

import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.splunk.SplunkNozzleApplication;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Splunk nozzle app, started in the test's JVM with its real configuration, reading the firehose from a
 * fake Traffic Controller (or a Kafka topic, by its settings) and writing to a {@link FakeHec}.
 */
public final class SplunkNozzleRunner implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    public SplunkNozzleRunner(FakeTrafficController firehose, String hecUrl, Map<String, String> settings) {
        this(hecUrl, withFirehose(firehose, settings));
        await("the nozzle reading the firehose").atMost(Patience.WAIT).until(() -> firehose.subscribers() > 0);
    }

    /** The nozzle with {@code settings} over the test defaults, its source theirs (e.g. {@code source=kafka}). */
    public SplunkNozzleRunner(String hecUrl, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("hydrant.nozzle.batch-interval", "20ms");
        all.put("hydrant.nozzle.splunk.url", hecUrl);
        all.put("hydrant.nozzle.splunk.token", "hec-token");
        all.put("hydrant.nozzle.splunk.retry.min-backoff", "20ms");
        all.put("hydrant.nozzle.splunk.retry.max-backoff", "200ms");
        all.putAll(settings);
        List<String> args = new ArrayList<>();
        all.forEach((key, value) -> args.add("--" + key + "=" + value));
        context = new SpringApplicationBuilder(SplunkNozzleApplication.class)
                .properties(new HashMap<>(SplunkNozzleApplication.BOOT_DEFAULTS))
                .run(args.toArray(String[]::new));
    }

    private static Map<String, String> withFirehose(FakeTrafficController firehose, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("hydrant.nozzle.url", firehose.baseUrl());
        all.putAll(settings);
        return all;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public MeterRegistry registry() {
        return bean(MeterRegistry.class);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** A counter's value (0 when absent), with tags as key, value pairs. */
    public double count(String name, String... tags) {
        var counter = registry().find(name).tags(tags).counter();
        if (counter != null) {
            return counter.count();
        }
        var function = registry().find(name).tags(tags).functionCounter();
        return function == null ? 0 : function.count();
    }

    /** Events the sink has settled: sent, or rejected for any reason. */
    public double settled() {
        return count("splunk.events.sent") + registry().find("splunk.events.rejected").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    public double gauge(String name) {
        var gauge = registry().find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Override
    public void close() {
        context.close();
    }
}
