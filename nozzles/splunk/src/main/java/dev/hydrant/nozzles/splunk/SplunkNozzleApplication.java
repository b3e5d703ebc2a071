package dev.hydrant.nozzles.splunk;

import dev.hydrant.plumbing.lifecycle.OwnJvm;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Splunk nozzle: reads the firehose as a shard group and writes it to Splunk's HTTP Event Collector,
 * logs and events as HEC events, counters, gauges and timers as HEC metric events.
 */
@SpringBootApplication
public class SplunkNozzleApplication {

    /** Boot's and the SDK's settings as this nozzle wants them by default; every one can be overridden. */
    public static final Map<String, Object> BOOT_DEFAULTS = Map.of(
            "server.port", "8091",
            "management.endpoints.web.exposure.include", "health,prometheus",
            "management.endpoint.health.show-details", "always",
            "hydrant.nozzle.subscription-id", "hydrant-splunk",
            "hydrant.nozzle.batch-size", "1000",
            "spring.application.name", "splunk-nozzle");

    public static void main(String[] args) {
        OwnJvm.prepare(new SpringApplication(SplunkNozzleApplication.class), BOOT_DEFAULTS).run(args);
    }
}
