package dev.hydrant.nozzle.client;

import dev.hydrant.nozzle.auth.TokenProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Keeps one stream open: asks the token provider before each attempt, opens the transport, gives up an
 * attempt the server has not accepted within the connect timeout, takes a stream silent for longer than
 * the idle timeout for dead, and reopens it after any end or failure as {@link ConnectionFailure} classifies
 * it: an outage with exponential backoff and jitter (reset once a stream is open again), a token refused
 * once at once with a fresh token, a permanent problem at the longest backoff (or, failing fast, by ending
 * the stream with it). Only bad requests and, failing fast, permanent problems reach the reader.
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

    /** How one stream is kept open. */
    record Plan(StreamTransport transport, ConnectionFailure.Target target, boolean heartbeats, TokenProvider tokens,
                ReconnectPolicy policy, boolean failFast) {
    }

    static Flux<List<Envelope>> batches(Plan plan, ReadRequest request, ConnectionLog log) {
        return Flux.defer(() -> {
            AtomicBoolean refusedBefore = new AtomicBoolean();
            Flux<Frame> attempt = Flux.defer(() -> plan.tokens().token().flatMapMany(token -> plan.transport().open(request, token)
                    .doOnError(HydrantClientException.class, e -> {
                        if (e.authRefused()) {
                            plan.tokens().invalidate(token);
                        }
                    })));
            if (plan.heartbeats()) {
                attempt = attempt.timeout(plan.policy().idleTimeout());
            }
            // the first frame of an attempt is OPEN: only it is held to the connect timeout
            attempt = attempt.timeout(Mono.delay(plan.policy().connectTimeout()), frame -> Mono.never(),
                    Flux.error(() -> new NotAccepted(plan.policy().connectTimeout())));
            return attempt
                    .doOnNext(frame -> {
                        if (frame.kind() == Frame.Kind.OPEN) {
                            refusedBefore.set(false);
                            log.opened();
                        } else {
                            log.alive();
                        }
                    })
                    .concatWith(Mono.error(StreamEnded::new))
                    .retryWhen(Retry.from(signals -> signals.concatMap(signal ->
                            next(plan, signal, refusedBefore, log))));
        }).filter(frame -> frame.kind() == Frame.Kind.DATA).map(Frame::envelopes);
    }

    /** What follows a failed or ended attempt: a wait before the next one, or the end of the stream. */
    private static Mono<Long> next(Plan plan, Retry.RetrySignal signal, AtomicBoolean refusedBefore, ConnectionLog log) {
        ReconnectPolicy policy = plan.policy();
        if (signal.failure() instanceof StreamEnded) {
            log.ended();
            return Mono.delay(backoff(policy, signal.totalRetriesInARow()));
        }
        ConnectionFailure failure = ConnectionFailure.classify(signal.failure(), plan.target(), refusedBefore.get());
        if (failure.closedBeforeAnswer() && plan.target().address() != null) {
            return TlsProbe.speaksTls(plan.target().address()).flatMap(tls -> decide(plan, signal, refusedBefore, log,
                    tls ? ConnectionFailure.plainHttpAgainstTls(plan.target(), signal.failure()) : failure));
        }
        return decide(plan, signal, refusedBefore, log, failure);
    }

    private static Mono<Long> decide(Plan plan, Retry.RetrySignal signal, AtomicBoolean refusedBefore, ConnectionLog log,
                                     ConnectionFailure failure) {
        ReconnectPolicy policy = plan.policy();
        refusedBefore.set(failure.kind() == ConnectionFailure.Kind.TOKEN_REFUSED || failure.permanent()
                && signal.failure() instanceof HydrantClientException refusal && refusal.authRefused());
        return switch (failure.kind()) {
            case OUTAGE -> {
                log.failed(failure);
                yield Mono.delay(backoff(policy, signal.totalRetriesInARow()));
            }
            case TOKEN_REFUSED -> {
                log.failed(failure);
                yield Mono.delay(policy.minBackoff());
            }
            case PERMANENT -> {
                log.refused(failure, plan.failFast());
                yield plan.failFast() ? Mono.error(failure.exception()) : Mono.delay(policy.maxBackoff());
            }
            case INVALID_REQUEST -> {
                log.gaveUp(signal.failure());
                yield Mono.error(signal.failure());
            }
        };
    }

    /** {@code minBackoff} doubled per failure in a row up to {@code maxBackoff}, give or take the jitter. */
    static Duration backoff(ReconnectPolicy policy, long failuresInARow) {
        long min = policy.minBackoff().toMillis();
        long max = policy.maxBackoff().toMillis();
        long base = failuresInARow >= 30 ? max : Math.min(max, min << failuresInARow);
        long spread = (long) (base * policy.jitter());
        long jittered = spread == 0 ? base : base - spread / 2 + ThreadLocalRandom.current().nextLong(spread + 1);
        return Duration.ofMillis(Math.max(min, Math.min(max, jittered)));
    }
}
