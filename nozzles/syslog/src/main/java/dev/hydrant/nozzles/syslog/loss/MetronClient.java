package dev.hydrant.nozzles.syslog.loss;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends envelopes to the Metron agent of this host (v2 {@code Send}, mutual TLS), from where they reach the
 * firehose: loss reports for apps' logs (which then reach the app's stream and its drains like any of its
 * lines) and the nozzle's own metrics. A Metron that cannot be reached costs one warning per outage; a loss
 * report is then written to the nozzle's own log instead.
 */
public final class MetronClient implements AppLog, Consumer<List<Envelope>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetronClient.class);
    private static final long DEADLINE_SECONDS = 5;

    private final String target;
    private final ManagedChannel channel;
    private volatile boolean failing;

    public MetronClient(String target, String serverName, TlsFiles tls, String tlsPrefix) {
        this.target = Objects.requireNonNull(target, "target");
        this.channel = GrpcTransport.channel(target, serverName, tls, tlsPrefix).build();
    }

    /** A loss report; called on the loss reporter's thread. */
    @Override
    public void send(Envelope envelope) {
        if (!sent(List.of(envelope))) {
            log.warn("{}: {}", envelope.getSourceId(), envelope.getLog().getPayload().toStringUtf8());
        }
    }

    /** The nozzle's own metrics; called on the self-metrics thread. */
    @Override
    public void accept(List<Envelope> envelopes) {
        sent(envelopes);
    }

    private boolean sent(List<Envelope> envelopes) {
        try {
            IngressGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .send(EnvelopeBatch.newBuilder().addAllBatch(envelopes).build());
            if (failing) {
                failing = false;
                log.info("Sending to Metron at {} again", target);
            }
            return true;
        } catch (StatusRuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Cannot send to Metron at {} ({}); loss reports go to this log until it answers", target,
                        e.getStatus());
            }
            return false;
        }
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(channel, 1_000);
    }
}
