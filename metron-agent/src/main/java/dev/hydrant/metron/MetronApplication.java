package dev.hydrant.metron;

import dev.hydrant.plumbing.lifecycle.OwnJvm;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The per-host agent: {@code loggregator.v2.Ingress} on localhost with mutual TLS, forwarding
 * in batches to a pool of Dopplers. See {@link dev.hydrant.metron.config.MetronConfiguration}.
 */
@SpringBootApplication
public class MetronApplication {

    /** Boot's own settings; they live here rather than in an application.yml shared on a classpath. */
    public static final Map<String, Object> DEFAULT_PROPERTIES = Map.of(
            "server.port", "3459",
            "management.endpoints.web.exposure.include", "health,prometheus",
            "spring.application.name", "metron");

    public static void main(String[] args) {
        OwnJvm.prepare(application(), DEFAULT_PROPERTIES).run(args);
    }

    /** The application with its defaults, as {@link #main} runs it (tests start it the same way). */
    public static SpringApplication application() {
        SpringApplication application = new SpringApplication(MetronApplication.class);
        application.setDefaultProperties(DEFAULT_PROPERTIES);
        return application;
    }
}
