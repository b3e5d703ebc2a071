package dev.hydrant.nozzle.client;

import dev.hydrant.nozzle.auth.TokenProvider;
import java.time.Duration;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Keeps one stream open: asks the token provider before each attempt, opens the transport, gives up an
 * attempt the server has not accepted within the connect timeout, takes a stream silent for longer than
 * the idle timeout for dead, and reopens after any end or retryable failure with exponential backoff and
 * jitter (reset once a stream is open again). A refused token is invalidated so the next attempt fetches
 * a fresh one. Only non-retryable failures (a bad request) reach the reader.
 */
final class ReconnectingStream {

    private ReconnectingStream() {
    }

    /** Ends the flux of one attempt when the server closed the stream normally, so that it is reopened. */
    private static final class StreamEnded extends RuntimeException {
        StreamEnded() {
            super("the server ended the stream", null, false, false);
        }
    }

    /** Ends an attempt that the server did not accept in time, so that it is tried again. */
    static final class NotAccepted extends RuntimeException {
        NotAccepted(Duration connectTimeout) {
            super("the server did not accept the stream within " + connectTimeout.toMillis() + " ms", null, false, false);
        }
    }

    static Flux<List<Envelope>> batches(StreamTransport transport, boolean heartbeats, ReadRequest request,
                                        TokenProvider tokens, ReconnectPolicy policy, ConnectionLog log) {
        Flux<Frame> attempt = Flux.defer(() -> tokens.token().flatMapMany(token -> transport.open(request, token)
                .doOnError(HydrantClientException.class, e -> {
                    if (e.authRefused()) {
                        tokens.invalidate(token);
                    }
                })));
        if (heartbeats) {
            attempt = attempt.timeout(policy.idleTimeout());
        }
        // the first frame of an attempt is OPEN: only it is held to the connect timeout
        attempt = attempt.timeout(Mono.delay(policy.connectTimeout()), frame -> Mono.never(),
                Flux.error(() -> new NotAccepted(policy.connectTimeout())));
        return attempt
                .doOnNext(frame -> {
                    if (frame.kind() == Frame.Kind.OPEN) {
                        log.opened();
                    } else {
                        log.alive();
                    }
                })
                .concatWith(Mono.error(StreamEnded::new))
                .doOnError(e -> {
                    if (e instanceof StreamEnded) {
                        log.ended();
                    } else if (retryable(e)) {
                        log.failed(e);
                    } else {
                        log.gaveUp(e);
                    }
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, policy.minBackoff())
                        .maxBackoff(policy.maxBackoff())
                        .jitter(policy.jitter())
                        .transientErrors(true)
                        .filter(ReconnectingStream::retryable)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .filter(frame -> frame.kind() == Frame.Kind.DATA)
                .map(Frame::envelopes);
    }

    private static boolean retryable(Throwable e) {
        if (e instanceof HydrantClientException client) {
            return client.retryable();
        }
        return !(e instanceof IllegalArgumentException);
    }
}
