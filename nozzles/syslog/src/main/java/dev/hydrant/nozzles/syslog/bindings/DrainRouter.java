package dev.hydrant.nozzles.syslog.bindings;

import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import dev.hydrant.nozzles.syslog.drain.DrainWriter;
import dev.hydrant.nozzles.syslog.format.SyslogFormatter;
import dev.hydrant.nozzles.syslog.format.SyslogMessages;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The nozzle's sink: each envelope read from the firehose goes to every drain bound to its source id whose
 * drain-type takes it, formatted once per metadata choice. It never blocks: each drain's writer buffers, and
 * takes a batch's messages for it in one go.
 * An envelope that cannot be a valid message is counted ({@code syslog.messages.invalid}) once per drain.
 */
public final class DrainRouter implements NozzleSink {

    private final Drains drains;
    private final SyslogFormatter formatter;
    private final DrainMetrics metrics;

    public DrainRouter(Drains drains, SyslogFormatter formatter, DrainMetrics metrics) {
        this.drains = Objects.requireNonNull(drains, "drains");
        this.formatter = Objects.requireNonNull(formatter, "formatter");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void write(List<Envelope> batch) {
        // each drain's messages of the batch, handed over at the end under one lock of its buffer
        Map<DrainWriter, List<byte[]>> out = new IdentityHashMap<>();
        for (Envelope envelope : batch) {
            List<DrainWriter> writers = drains.routes(envelope.getSourceId());
            if (writers == null) {
                continue;
            }
            SyslogMessages withTags = null;
            SyslogMessages withoutTags = null;
            for (DrainWriter writer : writers) {
                if (!writer.binding().drainType().accepts(envelope)) {
                    continue;
                }
                SyslogMessages messages;
                if (writer.binding().disableMetadata()) {
                    messages = withoutTags != null ? withoutTags : (withoutTags = formatter.format(envelope, true));
                } else {
                    messages = withTags != null ? withTags : (withTags = formatter.format(envelope, false));
                }
                if (!messages.valid()) {
                    metrics.invalid().increment();
                    continue;
                }
                out.computeIfAbsent(writer, w -> new ArrayList<>()).addAll(messages.messages());
            }
        }
        out.forEach(DrainWriter::offerAll);
    }
}
