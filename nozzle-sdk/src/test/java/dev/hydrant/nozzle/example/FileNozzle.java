package dev.hydrant.nozzle.example;

import dev.hydrant.nozzle.runtime.NozzleSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A complete nozzle: appends every app log line of the firehose to a file. The SDK's auto-configuration
 * connects, reconnects, batches, buffers, retries and counts; this class only writes a batch.
 * Run with {@code --hydrant.nozzle.url=http://tc:8081 --hydrant.nozzle.token=... --nozzle.file=/tmp/logs.txt}.
 */
@SpringBootApplication
public class FileNozzle {

    public static void main(String[] args) {
        SpringApplication.run(FileNozzle.class, args);
    }

    @Bean
    NozzleSink fileSink(@Value("${nozzle.file:nozzle.log}") Path file) {
        return batch -> {
            StringBuilder lines = new StringBuilder();
            for (Envelope envelope : batch) {
                if (envelope.hasLog()) {
                    lines.append(envelope.getSourceId()).append(' ')
                            .append(envelope.getLog().getPayload().toStringUtf8()).append('\n');
                }
            }
            Files.writeString(file, lines, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        };
    }
}
