package dev.hydrant.nozzles.elasticsearch;

import dev.hydrant.plumbing.lifecycle.OwnJvm;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Elasticsearch/OpenSearch nozzle: reads the firehose as a shard group and indexes every envelope as one
 * document with the {@code _bulk} API, into a data stream or daily indices typed by an index template it
 * installs at start.
 */
@SpringBootApplication
public class ElasticsearchNozzleApplication {

    /** Boot's and the SDK's settings as this nozzle wants them by default; every one can be overridden. */
    public static final Map<String, Object> BOOT_DEFAULTS = Map.of(
            "server.port", "8090",
            "management.endpoints.web.exposure.include", "health,prometheus",
            "management.endpoint.health.show-details", "always",
            "hydrant.nozzle.subscription-id", "hydrant-elasticsearch",
            "hydrant.nozzle.batch-size", "1000",
            "hydrant.nozzle.batch-interval", "200ms",
            "hydrant.nozzle.buffer-size", "50000",
            "spring.application.name", "elasticsearch-nozzle");

    public static void main(String[] args) {
        OwnJvm.prepare(new SpringApplication(ElasticsearchNozzleApplication.class), BOOT_DEFAULTS).run(args);
    }
}
