package dev.hydrant.trafficcontroller.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets an egress stream tell its client at once that it was accepted. gRPC sends a response's headers
 * only with its first message, so a reader of a quiet source (no envelopes yet) could not tell an
 * accepted stream from one still waiting for the server, and a client that gives a stream a connect
 * timeout (the nozzle SDK's) would reopen it over and over. {@link #sendNow()}, called by the service
 * once it has opened the stream, sends the headers; the stub's own send before the first message is then
 * skipped.
 */
final class AcceptedHeaders implements ServerInterceptor {

    private static final Context.Key<OnceHeaders<?, ?>> CALL = Context.key("hydrant-egress-call");

    /** Sends the current call's response headers now, if they have not gone out yet. */
    static void sendNow() {
        OnceHeaders<?, ?> call = CALL.get();
        if (call != null) {
            call.sendHeaders(new Metadata());
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        OnceHeaders<Q, R> once = new OnceHeaders<>(call);
        return Contexts.interceptCall(Context.current().withValue(CALL, once), once, headers, next);
    }

    /** A call whose headers go out once, whoever asks first. */
    private static final class OnceHeaders<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        private final AtomicBoolean sent = new AtomicBoolean();

        OnceHeaders(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            if (sent.compareAndSet(false, true)) {
                super.sendHeaders(headers);
            }
        }
    }
}
