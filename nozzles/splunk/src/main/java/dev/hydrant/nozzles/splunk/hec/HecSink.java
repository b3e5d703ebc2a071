package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.nozzles.splunk.format.Chunk;
import dev.hydrant.nozzles.splunk.format.HecEncoder;
import dev.hydrant.nozzles.splunk.hec.HecMetrics.Rejected;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The nozzle SDK's sink: encodes each batch into HEC requests of at most {@code max-batch-bytes} and sends
 * them one after another. It retries itself ({@link HecSender}: it knows 429's {@code Retry-After}, which
 * statuses are worth a retry and which parts of a split batch went through) and never throws, so the SDK
 * counts every batch as written; what happened to each event is in {@link HecMetrics}, so that
 * {@code nozzle.written = splunk.events.sent + splunk.events.rejected + awaiting acknowledgement}.
 */
public final class HecSink implements NozzleSink {

    private final HecEncoder encoder;
    private final HecSender sender;
    private final HecMetrics metrics;
    private final AckTracker acks;

    /** @param acks the acknowledgement tracker, or null without acknowledgement */
    public HecSink(HecEncoder encoder, HecSender sender, HecMetrics metrics, AckTracker acks) {
        this.encoder = encoder;
        this.sender = sender;
        this.metrics = metrics;
        this.acks = acks;
    }

    @Override
    public void write(List<Envelope> batch) {
        HecEncoder.Encoded encoded = encoder.encode(batch);
        metrics.rejected(Rejected.INVALID, encoded.skipped());
        for (Chunk chunk : encoded.chunks()) {
            long ackId = sender.send(chunk, acks != null);
            if (ackId >= 0) {
                acks.await(ackId, chunk);
            }
        }
    }
}
