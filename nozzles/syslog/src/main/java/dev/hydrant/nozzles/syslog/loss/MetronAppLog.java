package dev.hydrant.nozzles.syslog.loss;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends lines for apps' logs to the Metron agent of this host (v2 {@code Send}, mutual TLS), from where they
 * reach the app's stream and its drains like any of its own lines. A Metron that cannot be reached costs one
 * warning per outage; the line is then written to the nozzle's own log instead.
 */
public final class MetronAppLog implements AppLog, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetronAppLog.class);
    private static final long DEADLINE_SECONDS = 5;

    private final String target;
    private final ManagedChannel channel;
    private boolean failing;

    public MetronAppLog(String target, String serverName, TlsFiles tls, String tlsPrefix) {
        this.target = Objects.requireNonNull(target, "target");
        this.channel = GrpcTransport.channel(target, serverName, tls, tlsPrefix).build();
    }

    /** Called on the loss reporter's thread only. */
    @Override
    public void send(Envelope envelope) {
        try {
            IngressGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .send(EnvelopeBatch.newBuilder().addBatch(envelope).build());
            if (failing) {
                failing = false;
                log.info("Sending loss reports to Metron at {} again", target);
            }
        } catch (StatusRuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Cannot send a loss report to Metron at {} ({}); writing them here until it answers", target,
                        e.getStatus());
            }
            log.warn("{}: {}", envelope.getSourceId(), envelope.getLog().getPayload().toStringUtf8());
        }
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(channel, 1_000);
    }
}
