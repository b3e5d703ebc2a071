package dev.hydrant.trafficcontroller.metrics;

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
 * Hands the Traffic Controller's own metric envelopes to the Metron agent on its host (v2 {@code Send},
 * mutual TLS), so that they reach the firehose as every other component's do. The Traffic Controller has
 * no ingress of its own. A Metron that cannot be reached costs one warning per outage; the metrics stay
 * in Prometheus either way.
 */
public final class MetronSink implements Consumer<List<Envelope>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetronSink.class);
    private static final long DEADLINE_SECONDS = 5;

    private final String target;
    private final ManagedChannel channel;
    private boolean failing;

    /**
     * @param target     Metron's v2 ingress, host:port
     * @param serverName the name Metron's certificate must be valid for
     * @param tlsPrefix  the settings prefix of {@code tls}, named in errors about the files
     */
    public MetronSink(String target, String serverName, TlsFiles tls, String tlsPrefix) {
        this.target = Objects.requireNonNull(target, "target");
        this.channel = GrpcTransport.channel(target, serverName, tls, tlsPrefix).build();
    }

    /** Sends one batch; called on the self-metrics thread, one call at a time. */
    @Override
    public void accept(List<Envelope> envelopes) {
        try {
            IngressGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .send(EnvelopeBatch.newBuilder().addAllBatch(envelopes).build());
            if (failing) {
                failing = false;
                log.info("Sending the Traffic Controller's metrics to Metron at {} again", target);
            }
        } catch (StatusRuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Cannot send the Traffic Controller's metrics to Metron at {} ({}); trying again every "
                        + "interval, and they stay in Prometheus", target, e.getStatus());
            }
        }
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(channel, 1_000);
    }
}
