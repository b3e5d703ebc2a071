package dev.hydrant.nozzle.client;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one reconnecting stream, said once per change: one WARN when an outage starts ("Lost
 * connection to ...; retrying with backoff up to 15s"), one ERROR per permanent problem saying what to fix,
 * and one INFO when the stream is back ("Reconnected to ... after N failed attempts, M s"); the attempts in
 * between are DEBUG. After a failure a stream counts as back only once it shows a sign of life (data, a
 * heartbeat or a ping), so that a server that accepts streams but sends nothing does not produce a
 * "Reconnected" line per attempt. The listener hears the same changes.
 */
final class ConnectionLog {

    private static final Logger LOG = LoggerFactory.getLogger(HydrantClient.class);

    private enum State { STARTING, CONNECTED, LOST, REFUSED, REOPENED }

    private final String stream;
    private final ConnectionListener listener;
    private final boolean openMeansAlive;
    private final Duration maxBackoff;
    private volatile State state = State.STARTING;
    private boolean everConnected;
    private String problem = "";
    private long lostAtNanos;
    private int failedAttempts;

    /**
     * @param openMeansAlive whether an open stream is a sign of life by itself (gRPC, which has no heartbeats)
     * @param maxBackoff     the longest wait between attempts, named in the log lines
     */
    ConnectionLog(String stream, ConnectionListener listener, boolean openMeansAlive, Duration maxBackoff) {
        this.stream = stream;
        this.listener = listener;
        this.openMeansAlive = openMeansAlive;
        this.maxBackoff = maxBackoff;
    }

    /** The server accepted the stream. */
    void opened() {
        if (state == State.STARTING || openMeansAlive) {
            alive();
            return;
        }
        synchronized (this) {
            if (state == State.LOST || state == State.REFUSED) {
                state = State.REOPENED;
            }
        }
    }

    /** The stream showed a sign of life; called per frame, so the usual case is one volatile read. */
    void alive() {
        if (state == State.CONNECTED) {
            return;
        }
        boolean reconnected;
        long outageMillis;
        int attempts;
        synchronized (this) {
            if (state == State.CONNECTED) {
                return;
            }
            reconnected = everConnected;
            outageMillis = (System.nanoTime() - lostAtNanos) / 1_000_000;
            attempts = failedAttempts;
            state = State.CONNECTED;
            everConnected = true;
            failedAttempts = 0;
            problem = "";
        }
        if (attempts == 0) {
            LOG.info("Connected to {}", stream);
        } else {
            LOG.info("{} {} after {} failed attempts, {} s", reconnected ? "Reconnected to" : "Connected to", stream,
                    attempts, String.format("%.1f", outageMillis / 1000.0));
        }
        listener.connected(stream);
    }

    /** An attempt failed for a reason that passes (an outage) or a token refused once. */
    void failed(ConnectionFailure failure) {
        State before;
        synchronized (this) {
            before = state;
            lost();
            if (failure.kind() == ConnectionFailure.Kind.OUTAGE || before != State.REFUSED) {
                state = State.LOST;
            }
        }
        if (failure.kind() == ConnectionFailure.Kind.TOKEN_REFUSED) {
            LOG.debug("Token refused by {} ({}); retrying with a fresh one", stream, failure.problem());
        } else if (before == State.CONNECTED) {
            LOG.warn("Lost connection to {}: {}; retrying with backoff up to {}", stream, failure.problem(), seconds());
        } else if (before == State.STARTING) {
            LOG.warn("Cannot connect to {}: {}; retrying with backoff up to {}", stream, failure.problem(), seconds());
        } else {
            LOG.debug("Still disconnected from {}: {}", stream, failure.problem());
        }
        if ((before == State.STARTING || before == State.CONNECTED) && failure.kind() == ConnectionFailure.Kind.OUTAGE) {
            listener.disconnected(stream, failure.cause());
        }
    }

    /** An attempt failed for a reason only the operator can fix: said once per problem, in ERROR. */
    void refused(ConnectionFailure failure, boolean failFast) {
        boolean news;
        synchronized (this) {
            lost();
            news = state != State.REFUSED && state != State.REOPENED || !problem.equals(failure.problem());
            state = State.REFUSED;
            problem = failure.problem();
        }
        if (!news) {
            LOG.debug("Still refused by {}: {}", stream, failure.problem());
            return;
        }
        if (failFast) {
            LOG.error("{}: {}; failing fast", stream, failure.problem());
        } else {
            LOG.error("{}: {}; retrying every {} until it is fixed", stream, failure.problem(), seconds());
        }
        listener.disconnected(stream, failure.exception());
    }

    void ended() {
        LOG.debug("The server ended {}; reopening it", stream);
    }

    void gaveUp(Throwable cause) {
        LOG.error("Giving up: {} ({})", stream, describe(cause));
        synchronized (this) {
            state = State.LOST;
        }
        listener.disconnected(stream, cause);
    }

    /** Counts a failed attempt and notes when the outage began; called holding the lock. */
    private void lost() {
        failedAttempts++;
        if (state == State.STARTING || state == State.CONNECTED) {
            lostAtNanos = System.nanoTime();
        }
    }

    private String seconds() {
        return maxBackoff.toMillis() % 1000 == 0 ? maxBackoff.toSeconds() + "s" : maxBackoff.toMillis() + "ms";
    }

    static String describe(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "no data, heartbeat or ping within the idle timeout";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + message;
    }
}
