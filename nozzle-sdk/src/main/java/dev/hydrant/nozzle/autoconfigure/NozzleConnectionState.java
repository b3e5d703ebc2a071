package dev.hydrant.nozzle.autoconfigure;

import dev.hydrant.nozzle.client.ConnectionListener;

/** Whether the nozzle's stream is connected now, and why it was last lost: for the health indicator. */
public final class NozzleConnectionState implements ConnectionListener {

    private volatile boolean connected;
    private volatile String lastFailure = "";

    @Override
    public void connected(String stream) {
        connected = true;
    }

    @Override
    public void disconnected(String stream, Throwable cause) {
        connected = false;
        lastFailure = String.valueOf(cause);
    }

    public boolean connected() {
        return connected;
    }

    /** The last reason the stream was lost or refused, or empty. */
    public String lastFailure() {
        return lastFailure;
    }
}
