package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.plumbing.buffer.ByteShares;
import io.micrometer.core.instrument.Counter;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Opens {@link ClientStream}s: every endpoint's clients get the same buffer size, the same fan-in
 * and the same delivery of the Traffic Controller's own envelopes. Their buffers share one byte budget
 * ({@link ByteShares}): each holds at most client-buffer-bytes, or an equal share of egress-buffer-bytes
 * among the open streams when that is less, and opening a stream trims the others to their new share,
 * so that however many clients stall, their buffers together hold about egress-buffer-bytes at most
 * (the heap is 128 MB). It knows the open ones, so that a
 * stopping Traffic Controller {@link #finishAll() finishes} them: it stops in the web server's
 * graceful-shutdown phase, and each client gets what its buffer holds and a normal end of its stream
 * instead of being held open until the shutdown grace runs out.
 */
public final class ClientStreams implements SmartLifecycle {

    private final FanIn fanIn;
    private final LocalDelivery local;
    private final int bufferSize;
    private final ByteShares shares;
    private final Counter dropped;
    private final Set<ClientStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean stopped;

    /**
     * @param bufferSize  envelopes buffered per client (client-buffer-size), the oldest dropped beyond
     * @param bufferBytes their bytes per client at most (client-buffer-bytes), the oldest dropped beyond
     * @param totalBytes  their bytes over all clients at most (egress-buffer-bytes), shared equally
     * @param dropped     counts them ({@code dropped{direction=egress}})
     */
    public ClientStreams(FanIn fanIn, LocalDelivery local, int bufferSize, long bufferBytes, long totalBytes,
                         Counter dropped) {
        this.fanIn = Objects.requireNonNull(fanIn, "fanIn");
        this.local = Objects.requireNonNull(local, "local");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, was " + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.shares = new ByteShares(bufferBytes, totalBytes);
    }

    /**
     * Opens one client's stream; the caller must {@link ClientStream#close() close} it when the
     * client goes, whatever the way.
     *
     * @param request what the client selects (no selectors: nothing from the Dopplers)
     * @param gauge   the endpoint's open-streams gauge, up now and down at close
     */
    public ClientStream open(EgressBatchRequest request, AtomicInteger gauge) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(gauge, "gauge");
        shares.join();
        for (ClientStream other : open) {
            other.trimToShare(); // each share just got smaller: the total stays within egress-buffer-bytes
        }
        ClientStream stream;
        try {
            stream = new ClientStream(request, new ClientBuffer(bufferSize, shares, dropped), fanIn, local, gauge,
                    this::closed);
        } catch (RuntimeException e) {
            shares.leave();
            throw e;
        }
        open.add(stream);
        if (stopped) {
            // opened while the Traffic Controller stops: it ends as soon as its outlet is attached
            stream.finish();
        }
        return stream;
    }

    private void closed(ClientStream stream) {
        if (open.remove(stream)) {
            shares.leave();
        }
    }

    /** What all open streams' buffers hold now, in bytes as they are weighed against egress-buffer-bytes. */
    public long bufferedBytes() {
        long total = 0;
        for (ClientStream stream : open) {
            total += stream.bufferedBytes();
        }
        return total;
    }

    /** Ends every open stream gently: see {@link ClientStream#finish()}. */
    public void finishAll() {
        open.forEach(ClientStream::finish);
    }

    /** How many streams are open. */
    public int openCount() {
        return open.size();
    }

    @Override
    public void start() {
        running = true;
        stopped = false;
    }

    @Override
    public void stop() {
        running = false;
        stopped = true;
        finishAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** With the web server's graceful shutdown, which then waits for these streams to end. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE;
    }

    /** Whether any Doppler is known at all. */
    public boolean hasDopplers() {
        return fanIn.hasDopplers();
    }
}
