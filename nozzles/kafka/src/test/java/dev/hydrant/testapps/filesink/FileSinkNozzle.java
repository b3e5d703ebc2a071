package dev.hydrant.testapps.filesink;

import dev.hydrant.nozzle.runtime.NozzleSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A nozzle app as a user writes one (in a package of its own, out of the Kafka nozzle's component scan), for
 * the tests that kill it: its sink appends each envelope's payload as a line to a file, one write and one fsync
 * per batch, taking {@code nozzle.delay} per batch (a slow sink).
 * A line cut short by a kill (never seen with one write per batch, but possible) is cut off at the next start.
 */
@SpringBootApplication
public class FileSinkNozzle {

    public static void main(String[] args) {
        SpringApplication.run(FileSinkNozzle.class, args);
    }

    @Bean(destroyMethod = "close")
    FileChannel sinkFile(@Value("${nozzle.file}") Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        byte[] content = Files.readAllBytes(file);
        int end = content.length;
        while (end > 0 && content[end - 1] != '\n') {
            end--;
        }
        channel.truncate(end);
        channel.position(end);
        return channel;
    }

    @Bean
    NozzleSink fileSink(FileChannel sinkFile, @Value("${nozzle.delay:0ms}") Duration delay) {
        return batch -> {
            StringBuilder lines = new StringBuilder();
            batch.forEach(envelope -> lines.append(envelope.getLog().getPayload().toStringUtf8()).append('\n'));
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                sinkFile.write(bytes);
            }
            sinkFile.force(false);
            LockSupport.parkNanos(delay.toNanos());
        };
    }
}
