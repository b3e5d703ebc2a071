package dev.hydrant.trafficcontroller;

import dev.hydrant.plumbing.lifecycle.OwnJvm;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Traffic Controller: fans in from every Doppler and serves the v1 websocket, v2 SSE and
 * v2 gRPC streams and the recent-log reads.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TrafficControllerApplication {

    /**
     * Boot's own settings; defaults only, every one can be overridden as usual. The web server's
     * graceful shutdown (open websocket and SSE streams) and the gRPC egress's, which stop together,
     * wait at most {@code hydrant.traffic-controller.shutdown-grace}.
     */
    public static final Map<String, Object> BOOT_DEFAULTS = Map.of(
            "spring.lifecycle.timeout-per-shutdown-phase", "${hydrant.traffic-controller.shutdown-grace:5s}",
            "server.port", "8081",
            "management.server.port", "8084",
            "management.endpoints.web.exposure.include", "health,prometheus",
            "spring.application.name", "traffic-controller");

    public static void main(String[] args) {
        OwnJvm.prepare(new SpringApplication(TrafficControllerApplication.class), BOOT_DEFAULTS).run(args);
    }
}
