package dev.hydrant.nozzle.client;

import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one reconnecting stream, said once per change: "connection lost ... reconnecting" on the
 * first failure of an outage and "reconnected" once it is over; the attempts in between are DEBUG. After an
 * outage a stream counts as back only once it shows a sign of life (data, a heartbeat or a ping), so that a
 * server that accepts streams but sends nothing does not produce a "reconnected" line per attempt.
 */
final class ConnectionLog {

    private static final Logger LOG = LoggerFactory.getLogger(HydrantClient.class);

    private enum State { STARTING, CONNECTED, LOST, REOPENED }

    private final String stream;
    private final ConnectionListener listener;
    private final boolean openMeansAlive;
    private volatile State state = State.STARTING;
    private long lostAtNanos;
    private int failedAttempts;

    /**
     * @param openMeansAlive whether an open stream is a sign of life by itself (gRPC, which has no heartbeats)
     */
    ConnectionLog(String stream, ConnectionListener listener, boolean openMeansAlive) {
        this.stream = stream;
        this.listener = listener;
        this.openMeansAlive = openMeansAlive;
    }

    /** The server accepted the stream. */
    void opened() {
        if (state == State.STARTING || openMeansAlive) {
            alive();
            return;
        }
        synchronized (this) {
            if (state == State.LOST) {
                state = State.REOPENED;
            }
        }
    }

    /** The stream showed a sign of life; called per frame, so the usual case is one volatile read. */
    void alive() {
        if (state == State.CONNECTED) {
            return;
        }
        State before;
        long outageMillis;
        int attempts;
        synchronized (this) {
            before = state;
            if (before == State.CONNECTED) {
                return;
            }
            outageMillis = (System.nanoTime() - lostAtNanos) / 1_000_000;
            attempts = failedAttempts;
            state = State.CONNECTED;
            failedAttempts = 0;
        }
        if (before != State.STARTING) {
            LOG.info("Reconnected: {} (after {} ms and {} failed attempts)", stream, outageMillis, attempts);
        } else {
            LOG.info("Connected: {}", stream);
        }
        listener.connected(stream);
    }

    void failed(Throwable cause) {
        State before;
        synchronized (this) {
            before = state;
            failedAttempts++;
            if (before == State.STARTING || before == State.CONNECTED) {
                lostAtNanos = System.nanoTime();
            }
            state = State.LOST;
        }
        switch (before) {
            case CONNECTED -> LOG.warn("Connection lost: {} ({}); reconnecting with backoff", stream, describe(cause));
            case STARTING -> LOG.warn("Cannot connect: {} ({}); retrying with backoff", stream, describe(cause));
            case LOST, REOPENED -> LOG.debug("Still disconnected: {} ({})", stream, describe(cause));
        }
        if (before == State.STARTING || before == State.CONNECTED) {
            listener.disconnected(stream, cause);
        }
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

    static String describe(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "no data, heartbeat or ping within the idle timeout";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + message;
    }
}
