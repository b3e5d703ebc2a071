package dev.hydrant.nozzle.autoconfigure;

import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.client.HydrantClientException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code hydrant.nozzle.fail-fast=true}: at the first permanent problem (the stream then ends with it) the app
 * shuts down (the runtime flushes what it holds) and the JVM exits with status 1, so that a supervisor sees
 * the failure instead of a nozzle that retries forever. Passes every change on to the connection state.
 */
final class FailFastExit implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(FailFastExit.class);

    /** The JVM's exit status after a permanent problem. */
    static final int EXIT_STATUS = 1;

    private final ConnectionListener state;
    private final ConfigurableApplicationContext context;
    private final AtomicBoolean exiting = new AtomicBoolean();

    FailFastExit(ConnectionListener state, ConfigurableApplicationContext context) {
        this.state = state;
        this.context = context;
    }

    @Override
    public void connected(String stream) {
        state.connected(stream);
    }

    @Override
    public void disconnected(String stream, Throwable cause) {
        state.disconnected(stream, cause);
        if (cause instanceof HydrantClientException refusal && refusal.permanent() && exiting.compareAndSet(false, true)) {
            LOG.error("Stopping the nozzle with exit status {} (hydrant.nozzle.fail-fast=true): {}", EXIT_STATUS,
                    refusal.getMessage());
            // not on the I/O thread that reported it: closing the context waits for the runtime to flush
            Thread exit = new Thread(() -> System.exit(SpringApplication.exit(context, () -> EXIT_STATUS)),
                    "nozzle-fail-fast");
            // not a daemon like the I/O thread: the JVM must not end with status 0 once the context is closed
            exit.setDaemon(false);
            exit.start();
        }
    }
}
