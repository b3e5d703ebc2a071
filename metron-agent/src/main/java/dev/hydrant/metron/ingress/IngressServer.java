package dev.hydrant.metron.ingress;

import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.grpc.BindRetry;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The agent's gRPC server: {@link IngressService} on {@code host:port} with mutual TLS (a client
 * certificate from the agent's CA is required). Started after the Doppler pool and stopped
 * before it, so that what is accepted can still be forwarded during shutdown. A port still held
 * by a listener that is going away is tried again for {@link BindRetry#DEFAULT_PATIENCE}.
 */
public final class IngressServer implements SmartLifecycle {

    /** Lifecycle phase: after the egress side starts, and stopped before it. */
    public static final int PHASE = 100;

    private static final Logger log = LoggerFactory.getLogger(IngressServer.class);
    /**
     * How long open calls are given to end by themselves at stop before they are cancelled. Emitters
     * keep their streams open for as long as they run, so this is short: what they sent is in the
     * buffer already, and the time is better spent flushing it to the Dopplers.
     */
    private static final long STOP_GRACE_MILLIS = 100;

    private final String host;
    private final int port;
    private final TlsFiles tls;
    private final String settingsPrefix;
    private final IngressService service;
    private final MalformedRequests malformed;
    private volatile Server server;

    /**
     * @param port           0 picks a free port, see {@link #port()}
     * @param settingsPrefix the component's settings prefix ({@code hydrant.metron}); errors name
     *                       {@code <prefix>.tls.*} or {@code <prefix>.port}
     */
    public IngressServer(String host, int port, TlsFiles tls, String settingsPrefix, IngressService service,
                         MalformedRequests malformed) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.tls = Objects.requireNonNull(tls, "tls");
        this.settingsPrefix = Objects.requireNonNull(settingsPrefix, "settingsPrefix");
        this.service = Objects.requireNonNull(service, "service");
        this.malformed = Objects.requireNonNull(malformed, "malformed");
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        // The handlers only tag and hand over to a non-blocking buffer, so they run on the
        // transport threads instead of hopping to another executor per message.
        Server built;
        try {
            built = BindRetry.start(() -> malformed.watch(GrpcTransport.server(host, port, tls, settingsPrefix + ".tls"))
                    .directExecutor()
                    .addService(malformed.guard(service))
                    .build(), BindRetry.DEFAULT_PATIENCE);
        } catch (IOException e) {
            throw new InvalidSettingException(settingsPrefix + ".port", "cannot listen on " + host + ":" + port, e);
        }
        server = built;
        log.info("metron ingress listening on {}:{} (mTLS)", host, built.getPort());
    }

    @Override
    public synchronized void stop() {
        Server running = server;
        if (running != null) {
            GrpcTransport.shutdown(running, STOP_GRACE_MILLIS);
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The port listened on; useful when configured as 0. */
    public int port() {
        Server running = server;
        if (running == null) {
            throw new IllegalStateException("ingress server is not running");
        }
        return running.getPort();
    }
}
