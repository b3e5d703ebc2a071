package dev.hydrant.doppler.cache;

import dev.hydrant.api.wire.EncodedEnvelope;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends the answer of one {@code RecentEnvelopes.Read} in pieces of at most {@link #PIECE_BYTES}
 * (an envelope bigger than that goes alone in its piece), one piece whenever the call is ready
 * for more, so that an answer is never one message too big for the reader to take and never sits
 * whole in the transport's buffers. An empty answer is one empty piece. A call the reader cancels
 * ends without the rest. A piece is framed from the cached envelopes' bytes ({@link ReadPieces}).
 */
final class PieceSender implements Runnable {

    /** Bytes of envelopes one piece holds at most, unless one envelope alone is bigger. */
    static final int PIECE_BYTES = 1024 * 1024;
    private final List<EncodedEnvelope> envelopes;
    private final ServerCallStreamObserver<List<EncodedEnvelope>> call;
    private int next;
    private boolean sentOne;
    private boolean done;

    private PieceSender(List<EncodedEnvelope> envelopes, ServerCallStreamObserver<List<EncodedEnvelope>> call) {
        this.envelopes = envelopes;
        this.call = call;
    }

    /** Starts sending {@code envelopes} on {@code call}; the rest follows as the call is ready. */
    static void send(List<EncodedEnvelope> envelopes, ServerCallStreamObserver<List<EncodedEnvelope>> call) {
        PieceSender sender = new PieceSender(envelopes, call);
        call.setOnCancelHandler(sender::cancelled);
        call.setOnReadyHandler(sender);
        sender.run();
    }

    @Override
    public synchronized void run() {
        while (!done && call.isReady()) {
            if (next == envelopes.size() && sentOne) {
                done = true;
                call.onCompleted();
                return;
            }
            call.onNext(piece());
            sentOne = true;
        }
    }

    private synchronized void cancelled() {
        done = true;
    }

    private List<EncodedEnvelope> piece() {
        List<EncodedEnvelope> piece = new ArrayList<>();
        long bytes = 0;
        while (next < envelopes.size()) {
            EncodedEnvelope envelope = envelopes.get(next);
            bytes += envelope.framedSize();
            if (bytes > PIECE_BYTES && !piece.isEmpty()) {
                break;
            }
            piece.add(envelope);
            next++;
        }
        return piece;
    }
}
