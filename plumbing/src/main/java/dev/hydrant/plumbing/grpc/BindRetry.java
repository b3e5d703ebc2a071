package dev.hydrant.plumbing.grpc;

import io.grpc.Server;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a gRPC server whose port may still be held for a moment: a component restarted on the
 * port it had (a Doppler or a Traffic Controller brought back on its known address) may find the
 * previous listener not quite gone. While the bind fails with "address in use", a fresh server is
 * built and started again every {@value #RETRY_MILLIS} ms, for at most the given patience; any
 * other failure, or the patience spent, fails at once. Port 0 never needs a retry.
 */
public final class BindRetry {

    /** How long the components' gRPC servers keep trying to bind a port that is in use. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(5);

    static final long RETRY_MILLIS = 100;

    private static final Logger log = LoggerFactory.getLogger(BindRetry.class);

    private BindRetry() {
    }

    /**
     * Builds and starts a server, retrying while its address is in use.
     *
     * @param build    makes a new, unstarted server (a server that failed to start is not reused)
     * @param patience how long to keep trying; zero tries once
     * @return the started server
     * @throws IOException the last failure, when the address stayed in use for {@code patience} or
     *                     the start failed for another reason
     */
    public static Server start(Supplier<Server> build, Duration patience) throws IOException {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(patience, "patience");
        long deadline = System.nanoTime() + patience.toNanos();
        boolean told = false;
        while (true) {
            Server server = build.get();
            try {
                return server.start();
            } catch (IOException e) {
                server.shutdownNow();
                if (!addressInUse(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                if (!told) {
                    log.info("{}: address in use, trying again for up to {}", e.getMessage(), patience);
                    told = true;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS));
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("interrupted while waiting for the port to be free");
            }
        }
    }

    private static boolean addressInUse(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // NIO reports a BindException; Netty's native transports an IOException with the OS's text
            if (cause instanceof BindException
                    || (cause.getMessage() != null && cause.getMessage().contains("Address already in use"))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
