package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.buffer.BatchBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One client's stream, the same for every endpoint (v1 websocket, v2 SSE, v2 gRPC): opening it
 * counts the client in its endpoint's open-streams gauge, creates the client's {@link ClientBuffer}
 * (client-buffer-size, and client-buffer-bytes or its share of egress-buffer-bytes; drop oldest, counted
 * as {@code dropped{direction=egress}}), subscribes it to
 * every Doppler and registers it for the Traffic Controller's own envelopes ({@link LocalDelivery}).
 * Envelopes leave through one {@link Outlet} only as fast as the client takes them. {@link #close()}
 * undoes all of that once, whichever comes first: the client cancels, the connection fails or
 * completes, or the endpoint cuts a slow consumer; what the buffer still held then is counted as
 * {@code dropped{direction=egress}}; later calls do nothing.
 *
 * <p>{@link #finish()} (the Traffic Controller is stopping) ends the stream gently instead: it
 * takes nothing more from the Dopplers, sends what its buffer holds as the client takes it, and
 * then completes its outlet (the gRPC call completes OK, the websocket and SSE streams end).
 *
 * <p>What goes out at once is at most {@link #MAX_BATCH} envelopes and {@link BatchBytes#MAX_BATCH_BYTES}
 * of them (an envelope bigger than that alone), so that grouping never makes a gRPC batch or an SSE
 * event bigger than its reader accepts. Endpoints only encode and apply their own flow
 * control and slow-consumer policy. Envelopes travel as the bytes the Dopplers sent
 * ({@link EncodedEnvelope}): the v2 endpoints frame those bytes, the others convert them.
 */
public final class ClientStream implements AutoCloseable {

    /** Envelopes taken from the buffer and sent at once, at most. */
    public static final int MAX_BATCH = 100;

    /** Where a client's envelopes go, at the pace the client takes them. */
    public interface Outlet {
        /** How many envelopes may be sent now; 0 until the next {@link #drain()}. */
        int room();

        /** Sends up to {@link #room()} envelopes; called by one thread at a time. */
        void send(List<EncodedEnvelope> batch);

        /** Ends the client's stream normally, after a {@link #finish()} once all was sent. */
        void complete();

        /**
         * Whether what it is sent at once must stay within {@link BatchBytes#MAX_BATCH_BYTES}; an outlet
         * that sends one message per envelope says no, which spares computing each envelope's size.
         */
        default boolean boundsBytes() {
            return true;
        }
    }

    private static final Outlet NONE = new Outlet() {
        @Override
        public int room() {
            return 0;
        }

        @Override
        public void send(List<EncodedEnvelope> batch) {
        }

        @Override
        public void complete() {
        }
    };

    private final ClientBuffer buffer;
    private final LocalDelivery local;
    private final AtomicInteger gauge;
    private final FanInSubscription subscription;
    private final Consumer<ClientStream> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean left = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile boolean finishing;
    private final AtomicInteger wip = new AtomicInteger();
    /** Used by the one running drain only. */
    private final BatchBytes bytes = BatchBytes.standard();
    private volatile Outlet outlet = NONE;

    ClientStream(EgressBatchRequest request, ClientBuffer buffer, FanIn fanIn, LocalDelivery local, AtomicInteger gauge,
                 Consumer<ClientStream> onClose) {
        this.buffer = buffer;
        this.local = local;
        this.gauge = gauge;
        this.onClose = onClose;
        // a request without selectors asks for nothing: no Doppler stream for it
        boolean selects = request.getSelectorsCount() > 0 || request.hasLegacySelector();
        this.subscription = selects ? fanIn.subscribe(request, buffer::offer) : null;
        local.register(request, buffer);
        gauge.incrementAndGet();
    }

    /** Sends through {@code to} from now on: after each arrival and on every {@link #drain()}. */
    public void drainInto(Outlet to) {
        this.outlet = to;
        buffer.onData(this::drain);
        drain();
    }

    /**
     * Sends what the outlet has room for; call it when the client can take more. At most one drain
     * runs at a time; a call during a drain makes that drain go round again.
     */
    public void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Outlet to = outlet;
            try {
                while (!closed.get()) {
                    int room = to.room();
                    if (room <= 0) {
                        break;
                    }
                    List<EncodedEnvelope> batch = new ArrayList<>(Math.min(room, MAX_BATCH));
                    if (buffer.drainTo(batch, Math.min(room, MAX_BATCH), to.boundsBytes() ? bytes : null) == 0) {
                        break;
                    }
                    to.send(batch);
                }
                if (finishing && to != NONE && !closed.get() && buffer.isEmpty()
                        && completed.compareAndSet(false, true)) {
                    to.complete();
                }
            } catch (RuntimeException e) {
                // the client's connection ended under us; its end closes this stream
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** The envelopes, one per signal, as requested; the Flux's end closes this stream. */
    public Flux<EncodedEnvelope> envelopes() {
        return envelopes(null);
    }

    /**
     * As {@link #envelopes()}, handing {@code transport} no more than it has room for (null: as requested);
     * what it writes makes room for more.
     */
    public Flux<EncodedEnvelope> envelopes(TransportBytes transport) {
        return Flux.create(sink -> attach(sink, transport, new Outlet() {
            @Override
            public int room() {
                return sink.isCancelled() || !hasRoom(transport) ? 0
                        : (int) Math.min(sink.requestedFromDownstream(), MAX_BATCH);
            }

            @Override
            public void send(List<EncodedEnvelope> batch) {
                batch.forEach(sink::next);
            }

            @Override
            public void complete() {
                sink.complete();
            }

            @Override
            public boolean boundsBytes() {
                return transport != null; // one envelope per signal: only a transport's room needs the bound
            }
        }), FluxSink.OverflowStrategy.ERROR);
    }

    /**
     * Batches of up to {@link #MAX_BATCH} envelopes and {@link BatchBytes#MAX_BATCH_BYTES}, one per request;
     * the Flux's end closes this stream.
     */
    public Flux<List<EncodedEnvelope>> batches() {
        return batches(null);
    }

    /**
     * As {@link #batches()}, handing {@code transport} no more than it has room for (null: as requested);
     * what it writes makes room for more.
     */
    public Flux<List<EncodedEnvelope>> batches(TransportBytes transport) {
        return Flux.create(sink -> attach(sink, transport, new Outlet() {
            @Override
            public int room() {
                return sink.isCancelled() || sink.requestedFromDownstream() <= 0 || !hasRoom(transport) ? 0 : MAX_BATCH;
            }

            @Override
            public void send(List<EncodedEnvelope> batch) {
                sink.next(batch);
            }

            @Override
            public void complete() {
                sink.complete();
            }
        }), FluxSink.OverflowStrategy.ERROR);
    }

    private static boolean hasRoom(TransportBytes transport) {
        return transport == null || transport.hasRoom();
    }

    private void attach(FluxSink<?> sink, TransportBytes transport, Outlet to) {
        if (transport != null) {
            transport.onWritten(this::drain);
        }
        drainInto(to);
        sink.onRequest(n -> drain());
        sink.onDispose(this::close);
    }

    /** Drops the oldest buffered envelopes (counted) that the client's byte share no longer allows. */
    void trimToShare() {
        buffer.trimToShare();
    }

    /** What the envelopes waiting for the client weigh now. */
    long bufferedBytes() {
        return buffer.bytes();
    }

    /** How long envelopes have waited for the client to take anything; 0 when none wait. */
    public long stalledNanos(long nowNanos) {
        return buffer.stalledNanos(nowNanos);
    }

    /**
     * Takes nothing more from the Dopplers or the Traffic Controller itself, sends what the buffer
     * holds as the client takes it, then completes the outlet; {@link #close()} still follows.
     */
    public void finish() {
        finishing = true;
        leave();
        drain();
    }

    /** Whether {@link #finish()} was called: the Traffic Controller is stopping. */
    public boolean isFinishing() {
        return finishing;
    }

    /** Whether this stream has been closed. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Releases everything {@link ClientStreams#open} took, the first time only. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leave();
        buffer.onData(() -> { });
        outlet = NONE;
        buffer.discard();
        gauge.decrementAndGet();
        onClose.accept(this);
    }

    private void leave() {
        if (left.compareAndSet(false, true)) {
            local.unregister(buffer);
            if (subscription != null) {
                subscription.close();
            }
        }
    }
}
