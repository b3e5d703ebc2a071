package dev.hydrant.nozzle.client;

/**
 * Told when a stream of a {@link HydrantClient} is connected and when it is lost: once per change, never
 * per reconnection attempt. Called on I/O threads: implementations must be quick and must not block.
 */
public interface ConnectionListener {

    /** A stream is open (again). */
    void connected(String stream);

    /**
     * A stream was lost or could not be opened; the client reconnects by itself unless it fails fast. {@code cause}
     * is a {@link HydrantClientException} with {@code permanent()} true when only the operator can fix it (its
     * message says what); told again when the problem changes.
     */
    void disconnected(String stream, Throwable cause);

    /** A listener that ignores everything. */
    static ConnectionListener none() {
        return new ConnectionListener() {
            @Override
            public void connected(String stream) {
            }

            @Override
            public void disconnected(String stream, Throwable cause) {
            }
        };
    }
}
