package dev.hydrant.metron.files;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.metron.egress.Departures;
import dev.hydrant.metron.ingress.IngressService;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The file tailer's part of the agent: container log files -> {@link FileTailer} -> the agent's
 * {@link IngressService} (tagging, {@code ingress}, the drop-oldest buffer), as a gRPC batch goes.
 * With no input configured the tailer is there but does nothing.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FilesProperties.class)
public final class FilesConfiguration {

    @Bean
    FilesMeters metronFilesMeters(MeterRegistry registry) {
        return FilesMeters.register(registry);
    }

    @Bean
    FileTailer metronFileTailer(FilesProperties properties, IngressService ingress, DropOldestBuffer<EncodedEnvelope> buffer,
                                Departures departures, FilesMeters meters, MeterRegistry registry) {
        FilesSettings settings = FilesSettings.of(properties);
        if (!settings.sources().isEmpty() && !FileKey.supported(java.nio.file.Path.of("/"))) {
            throw new InvalidSettingException(FilesProperties.PREFIX + ".inputs",
                    "tailing files needs device and inode numbers (a Unix file system)");
        }
        Checkpoints checkpoints = settings.sources().isEmpty() ? null
                : new Checkpoints(properties.checkpointDir(), FilesProperties.PREFIX + ".checkpoint-dir");
        FileTailer tailer = new FileTailer(settings, checkpoints, ingress::accept,
                () -> room(buffer), buffer.capacity(), AgentBooks.of(buffer, departures), meters);
        FilesMeters.registerGauge(registry, tailer::watched);
        return tailer;
    }

    /**
     * Free places in the buffer; none once more than half its bytes are taken, so that the tailer, which reads
     * only while the buffer is at most half full, waits for room in bytes as in envelopes.
     */
    private static int room(DropOldestBuffer<EncodedEnvelope> buffer) {
        return buffer.bytes() > buffer.maxBytes() / 2 ? 0 : buffer.capacity() - buffer.size();
    }
}
