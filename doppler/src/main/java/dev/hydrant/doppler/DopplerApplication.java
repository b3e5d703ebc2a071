package dev.hydrant.doppler;

import dev.hydrant.plumbing.lifecycle.OwnJvm;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The doppler: receives envelopes from metron agents (v2 Ingress), routes them to subscribers
 * (v2 Egress) and keeps the recent ones per source id (hydrant.v1.RecentEnvelopes). Health and
 * Prometheus metrics are on the management HTTP port.
 */
@SpringBootApplication
public class DopplerApplication {

    /** Boot's own settings for the doppler; properties and arguments override them. */
    public static final Map<String, Object> DEFAULT_PROPERTIES = Map.of(
            "server.port", "8083",
            "management.endpoints.web.exposure.include", "health,prometheus",
            "spring.application.name", "doppler");

    public static void main(String[] args) {
        OwnJvm.prepare(new SpringApplication(DopplerApplication.class), DEFAULT_PROPERTIES).run(args);
    }
}
