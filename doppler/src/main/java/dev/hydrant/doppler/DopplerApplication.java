package dev.hydrant.doppler;

import dev.hydrant.plumbing.lifecycle.SigtermExit;
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

    /**
     * Boot's own settings for the doppler; properties and arguments override them. Netty's event
     * loops end as soon as their work is done when the doppler stops, rather than after Reactor's
     * default quiet period of 2 s (reset by any activity, up to 15 s).
     */
    public static final Map<String, Object> DEFAULT_PROPERTIES = Map.of(
            "spring.reactor.netty.shutdown-quiet-period", "0s",
            "server.port", "8083",
            "management.endpoints.web.exposure.include", "health,prometheus",
            "spring.application.name", "doppler");

    public static void main(String[] args) {
        SigtermExit.install();
        SpringApplication application = new SpringApplication(DopplerApplication.class);
        application.setDefaultProperties(DEFAULT_PROPERTIES);
        application.run(args);
    }
}
