package dev.hydrant.nozzles.syslog.servers;

import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.syslog.SyslogNozzleApplication;
import dev.hydrant.nozzles.syslog.bindings.Drains;
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
 * The syslog nozzle app, started in the test's JVM with its real configuration, reading the firehose from a
 * fake Traffic Controller and the bindings from a {@link BindingsServer}; loopback drains allowed.
 */
public final class NozzleRunner implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    public NozzleRunner(FakeTrafficController firehose, BindingsServer bindings, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("server.port", "0");
        all.put("hydrant.nozzle.url", firehose.baseUrl());
        all.put("hydrant.nozzle.token", BindingsServer.ADMIN_TOKEN);
        all.put("hydrant.nozzle.batch-interval", "20ms");
        all.put("hydrant.nozzle.syslog.bindings-url", bindings.baseUrl());
        all.put("hydrant.nozzle.syslog.poll-interval", "200ms");
        all.put("hydrant.nozzle.syslog.allowed-ranges", "127.0.0.0/8");
        all.put("hydrant.nozzle.syslog.min-backoff", "50ms");
        all.putAll(settings);
        List<String> args = new ArrayList<>();
        all.forEach((key, value) -> args.add("--" + key + "=" + value));
        context = new SpringApplicationBuilder(SyslogNozzleApplication.class)
                .properties(new HashMap<>(SyslogNozzleApplication.BOOT_DEFAULTS))
                .run(args.toArray(String[]::new));
        await("the nozzle reading the firehose").atMost(Patience.WAIT).until(() -> firehose.subscribers() > 0);
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

    /** Waits until exactly {@code n} drains run. */
    public NozzleRunner awaitDrains(int n) {
        await("drains bound: " + n).atMost(Patience.WAIT).until(() -> bean(Drains.class).writers().size() == n);
        return this;
    }

    public double counter(String name, String drain) {
        var counter = registry().find(name).tag("drain", drain).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        context.close();
    }
}
