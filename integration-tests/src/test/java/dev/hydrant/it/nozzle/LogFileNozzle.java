package dev.hydrant.it.nozzle;

import dev.hydrant.nozzle.runtime.NozzleSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A whole nozzle on the SDK: appends every log line of the firehose to a file, one
 * {@code source/instance timestamp payload} line each. The SDK's auto-configuration connects, reconnects,
 * buffers, batches, retries and counts; this class only writes a batch. Settings: {@code hydrant.nozzle.*}
 * (url, token, subscription-id, ...) and {@code nozzle.file}.
 */
@SpringBootApplication
public class LogFileNozzle {

    public static void main(String[] args) {
        run(args);
    }

    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(LogFileNozzle.class);
        app.setDefaultProperties(Map.of("hydrant.nozzle.types", "log", "server.port", "0"));
        return app.run(args);
    }

    @Bean
    NozzleSink logFile(@Value("${nozzle.file}") Path file) {
        return batch -> {
            StringBuilder lines = new StringBuilder();
            for (Envelope e : batch) {
                lines.append(e.getSourceId()).append('/').append(e.getInstanceId()).append(' ').append(e.getTimestamp())
                        .append(' ').append(e.getLog().getPayload().toStringUtf8()).append('\n');
            }
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        };
    }
}
