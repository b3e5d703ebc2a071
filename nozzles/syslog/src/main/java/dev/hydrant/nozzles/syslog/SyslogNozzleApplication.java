package dev.hydrant.nozzles.syslog;

import dev.hydrant.plumbing.lifecycle.OwnJvm;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The syslog drain nozzle: reads the firehose as a shard group and writes each app's envelopes to the
 * drains bound to it (docs/wire.md section 7), reading the bindings from the Traffic Controller.
 */
@SpringBootApplication
public class SyslogNozzleApplication {

    /** Boot's and the SDK's settings as this nozzle wants them by default; every one can be overridden. */
    public static final Map<String, Object> BOOT_DEFAULTS = Map.of(
            "server.port", "8088",
            "management.endpoints.web.exposure.include", "health,prometheus",
            "management.endpoint.health.show-details", "always",
            "hydrant.nozzle.subscription-id", "hydrant-syslog",
            "spring.application.name", "syslog-nozzle");

    public static void main(String[] args) {
        OwnJvm.prepare(new SpringApplication(SyslogNozzleApplication.class), BOOT_DEFAULTS).run(args);
    }
}
