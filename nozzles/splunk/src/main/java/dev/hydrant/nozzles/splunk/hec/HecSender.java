package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.nozzles.splunk.format.Chunk;
import dev.hydrant.nozzles.splunk.format.HecEncoder;
import dev.hydrant.nozzles.splunk.hec.HecMetrics.Failure;
import dev.hydrant.nozzles.splunk.hec.HecMetrics.Rejected;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLException;

/**
 * Sends one request until the HEC takes it or it is given up, and tells its {@link Tally} what became of its
 * events: sent (or awaiting acknowledgement, told by the {@link AckTracker}), or rejected by reason. 5xx, 429 and network errors are retried with
 * exponential backoff and jitter (a {@code Retry-After} is waited out instead), up to {@code maxAttempts};
 * a 400 drops the events HEC names invalid and sends the rest again; a refused token or a failed TLS
 * handshake drops the request and, until the next probe, every later one without trying
 * (see {@link HecHealth}). Never throws: with a replaying source the {@link BatchAttempt} turns a request
 * not taken into a failed batch. Thread-safe.
 */
public final class HecSender {

    /** What {@link #send} returns when the HEC did not take the request (its events are counted). */
    public static final long NOT_ACCEPTED = -2;
    /** What {@link #send} returns when the HEC took the request without an acknowledgement id. */
    public static final long NO_ACK = -1;

    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(10);

    private final HecClient client;
    private final HecEncoder encoder;
    private final HecMetrics metrics;
    private final HecHealth health;
    private final int maxAttempts;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private final boolean replayable;

    /** @param replayable the source replays (Kafka): what is refused is written again, not dropped */
    public HecSender(HecClient client, HecEncoder encoder, HecMetrics metrics, HecHealth health, int maxAttempts,
                     Duration minBackoff, Duration maxBackoff, boolean replayable) {
        this.client = client;
        this.encoder = encoder;
        this.metrics = metrics;
        this.health = health;
        this.maxAttempts = maxAttempts;
        this.minBackoffNanos = minBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.replayable = replayable;
    }

    /**
     * @param awaitAck the events count as sent once acknowledged (by the caller), not when accepted
     * @param tally    told what became of every event, except those awaiting acknowledgement
     * @return the acknowledgement id, {@link #NO_ACK} (accepted, events told) or {@link #NOT_ACCEPTED}
     */
    long send(Chunk chunk, boolean awaitAck, Tally tally) {
        Chunk current = chunk.compressed();
        for (int attempt = 1; ; attempt++) {
            HecHealth.Refusal refusal = health.refusedNow();
            if (refusal != null) {
                tally.rejected(refusal.kind(), current.events());
                return NOT_ACCEPTED;
            }
            HecAnswer answer;
            Failure failure = Failure.NETWORK;
            String problem = "";
            try {
                answer = client.post(current.body(), current.gzipped());
            } catch (SSLException e) {
                tlsRefused(e);
                tally.rejected(Rejected.TLS, current.events());
                return NOT_ACCEPTED;
            } catch (IOException e) {
                answer = null;
                failure = Failure.NETWORK;
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tally.rejected(Rejected.SHUTDOWN, current.events());
                return NOT_ACCEPTED;
            }
            if (answer != null) {
                if (answer.accepted()) {
                    health.accepted();
                    boolean tracked = awaitAck && answer.ackId() >= 0;
                    metrics.accepted(current.body().length);
                    if (!tracked) {
                        tally.sent(current.events());
                    }
                    return tracked ? answer.ackId() : NO_ACK;
                }
                if (answer.tokenRefused()) {
                    tokenRefused(answer);
                    tally.rejected(Rejected.TOKEN, current.events());
                    return NOT_ACCEPTED;
                }
                if (!answer.retryable()) {
                    Chunk rest = rejected(current, answer, tally);
                    if (rest == null) {
                        return NOT_ACCEPTED;
                    }
                    current = rest.compressed();
                    attempt = 0;
                    continue;
                }
                failure = answer.status() == 429 ? Failure.THROTTLED : Failure.SERVER;
                problem = answer.describe();
            }
            metrics.failed(failure);
            health.failing(problem, maxAttempts);
            if (attempt >= maxAttempts) {
                tally.rejected(Rejected.RETRIES, current.events());
                return NOT_ACCEPTED;
            }
            if (!pause(wait(attempt, answer))) {
                tally.rejected(Rejected.SHUTDOWN, current.events());
                return NOT_ACCEPTED;
            }
        }
    }

    /**
     * Counts what a 4xx refused; when HEC named the first invalid event of the batch (the events before it
     * are indexed), returns the events after it to be sent again, otherwise null.
     */
    private Chunk rejected(Chunk chunk, HecAnswer answer, Tally tally) {
        int invalid = answer.invalidEventNumber();
        health.rejectedData(answer, invalid >= 0 && invalid < chunk.events() ? 1 : chunk.events());
        if (answer.status() != 400 || invalid < 0 || invalid >= chunk.events() || chunk.json() == null) {
            tally.rejected(answer.incorrectIndex() ? Rejected.INDEX : Rejected.INVALID, chunk.events());
            return null;
        }
        tally.sent(invalid);
        tally.rejected(answer.incorrectIndex() ? Rejected.INDEX : Rejected.INVALID, 1);
        return invalid + 1 < chunk.events() ? encoder.rest(chunk, invalid + 1) : null;
    }

    private void tokenRefused(HecAnswer answer) {
        health.refused(Rejected.TOKEN, "token refused: " + answer.describe(),
                "The Splunk HEC at " + client.eventsUri() + " refused the token: " + answer.describe()
                        + ". Set hydrant.nozzle.splunk.token to a valid, enabled HEC token. Until it is accepted, "
                        + meanwhile("token"));
    }

    private void tlsRefused(SSLException e) {
        health.refused(Rejected.TLS, "no TLS connection: " + e.getMessage(),
                "No TLS connection with the Splunk HEC at " + client.eventsUri() + ": " + e.getMessage()
                        + ". If its certificate is not trusted, set hydrant.nozzle.splunk.ca-file to the CA (PEM) that "
                        + "signs it; if the port does not speak TLS, use http:// in hydrant.nozzle.splunk.url. Until then, "
                        + meanwhile("tls"));
    }

    private String meanwhile(String reason) {
        String probe = "one request is tried every " + Duration.ofNanos(maxBackoffNanos).toSeconds() + " s";
        return replayable
                ? "batches fail and stay in the source, written again later (nothing is committed), and " + probe
                : "batches are dropped and counted (splunk.events.rejected{reason=" + reason + "}) and " + probe;
    }

    private long wait(int attempt, HecAnswer answer) {
        if (answer != null && answer.retryAfter() != null) {
            return Math.min(answer.retryAfter().toNanos(), LONGEST_RETRY_AFTER.toNanos());
        }
        long base = minBackoffNanos << Math.min(attempt - 1, 20);
        long capped = Math.min(base <= 0 ? Long.MAX_VALUE : base, maxBackoffNanos);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    /** Waits {@code nanos}; false when interrupted (the nozzle stops). */
    private static boolean pause(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }
}
