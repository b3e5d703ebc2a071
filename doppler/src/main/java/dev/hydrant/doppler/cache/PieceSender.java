package dev.hydrant.doppler.cache;

import dev.hydrant.api.recent.ReadResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/**
 * Sends the answer of one {@code RecentEnvelopes.Read} in pieces of at most {@link #PIECE_BYTES}
 * (an envelope bigger than that goes alone in its piece), one piece whenever the call is ready
 * for more, so that an answer is never one message too big for the reader to take and never sits
 * whole in the transport's buffers. An empty answer is one empty piece. A call the reader cancels
 * ends without the rest.
 */
final class PieceSender implements Runnable {

    /** Bytes of envelopes one piece holds at most, unless one envelope alone is bigger. */
    static final int PIECE_BYTES = 1024 * 1024;
    /** An envelope's tag and length prefix inside the batch, at most. */
    private static final int FRAMING_BYTES = 6;

    private final List<Envelope> envelopes;
    private final ServerCallStreamObserver<ReadResponse> call;
    private int next;
    private boolean sentOne;
    private boolean done;

    private PieceSender(List<Envelope> envelopes, ServerCallStreamObserver<ReadResponse> call) {
        this.envelopes = envelopes;
        this.call = call;
    }

    /** Starts sending {@code envelopes} on {@code call}; the rest follows as the call is ready. */
    static void send(List<Envelope> envelopes, ServerCallStreamObserver<ReadResponse> call) {
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
            call.onNext(ReadResponse.newBuilder().setEnvelopes(piece()).build());
            sentOne = true;
        }
    }

    private synchronized void cancelled() {
        done = true;
    }

    private EnvelopeBatch piece() {
        EnvelopeBatch.Builder piece = EnvelopeBatch.newBuilder();
        long bytes = 0;
        while (next < envelopes.size()) {
            Envelope envelope = envelopes.get(next);
            bytes += envelope.getSerializedSize() + FRAMING_BYTES;
            if (bytes > PIECE_BYTES && piece.getBatchCount() > 0) {
                break;
            }
            piece.addBatch(envelope);
            next++;
        }
        return piece.build();
    }
}
