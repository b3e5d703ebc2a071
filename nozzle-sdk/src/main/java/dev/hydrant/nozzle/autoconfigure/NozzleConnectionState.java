package dev.hydrant.nozzle.autoconfigure;

import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.client.HydrantClientException;

/**
 * Whether the nozzle's stream is connected now, why it was last lost, and the permanent problem that keeps it
 * from connecting (a refused token, an untrusted certificate...), if any: for the health indicator.
 */
public final class NozzleConnectionState implements ConnectionListener {

    private volatile boolean connected;
    private volatile String lastFailure = "";
    private volatile String problem = "";

    @Override
    public void connected(String stream) {
        connected = true;
        problem = "";
    }

    @Override
    public void disconnected(String stream, Throwable cause) {
        connected = false;
        lastFailure = String.valueOf(cause);
        problem = cause instanceof HydrantClientException refusal && refusal.permanent() ? refusal.getMessage() : "";
    }

    public boolean connected() {
        return connected;
    }

    /** The last reason the stream was lost or refused, or empty. */
    public String lastFailure() {
        return lastFailure;
    }

    /** What the operator must fix before the stream can connect, or empty when nothing is known to be wrong. */
    public String problem() {
        return problem;
    }
}
