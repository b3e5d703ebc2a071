package dev.hydrant.metron.egress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/** One resolved Doppler address: one mTLS channel and its stream workers. */
final class DopplerConnection {

    private final String target;
    private final ManagedChannel channel;
    private final List<StreamWorker> workers;

    /**
     * @param target  the address, as {@code ip:port} or {@code [ipv6]:port}
     * @param channel a channel to it, owned (and closed) by this connection
     */
    DopplerConnection(String target, ManagedChannel channel, DropOldestBuffer<EncodedEnvelope> buffer,
                      EgressSettings settings, Counter egress, Counter dropped, Lock turn, Departures departures,
                      BooleanSupplier othersConnected) {
        this.target = target;
        this.channel = channel;
        List<StreamWorker> list = new ArrayList<>(settings.streamsPerDoppler());
        for (int i = 0; i < settings.streamsPerDoppler(); i++) {
            list.add(new StreamWorker("metron-egress-" + target + "-" + i, channel, buffer, settings, egress, dropped, turn,
                    departures, othersConnected));
        }
        this.workers = List.copyOf(list);
    }

    String target() {
        return target;
    }

    void start() {
        workers.forEach(StreamWorker::start);
    }

    /** Streams established now. */
    int connectedStreams() {
        int n = 0;
        for (StreamWorker worker : workers) {
            if (worker.connected()) {
                n++;
            }
        }
        return n;
    }

    /** Envelopes its workers hold in batches being filled. */
    int holding() {
        int n = 0;
        for (StreamWorker worker : workers) {
            n += worker.holding();
        }
        return n;
    }

    /**
     * Tells every worker to stop, flushing the shared buffer for at most {@code flushNanos} and
     * waiting for confirmations until {@code settleNanos} from now; does not wait.
     */
    void beginStop(long flushNanos, long settleNanos) {
        workers.forEach(worker -> worker.stop(flushNanos, settleNanos));
    }

    /** Waits until {@code deadlineNanos} (System.nanoTime) for the workers, then closes the channel. */
    void finishStop(long deadlineNanos) {
        try {
            for (StreamWorker worker : workers) {
                worker.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        GrpcTransport.shutdown(channel, 200);
    }
}
