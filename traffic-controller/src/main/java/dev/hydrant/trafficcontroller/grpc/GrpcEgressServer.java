package dev.hydrant.trafficcontroller.grpc;

import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.grpc.BindRetry;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * The mutual-TLS gRPC server of the v2 egress; started and stopped with the application. It stops
 * in the web server's graceful-shutdown phase and alongside it: new streams are refused at once, open
 * ones send what their buffers hold and complete ({@link dev.hydrant.trafficcontroller.fanin.ClientStreams}
 * finishes them in the same phase), and those still open when the shutdown grace ends are cancelled. A port still held by a listener that is going away (a restart on the same port) is
 * tried again for {@link BindRetry#DEFAULT_PATIENCE} before start-up fails. Request messages that do not parse
 * and those over the size limit are refused, counted and logged at most once a minute by {@link MalformedRequests}
 * (and the {@link dev.hydrant.plumbing.grpc.OversizeRequests} it watches the server with).
 */
public final class GrpcEgressServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcEgressServer.class);

    private final String host;
    private final int port;
    private final TlsFiles tls;
    private final String tlsPrefix;
    private final String portSetting;
    private final GrpcEgressService service;
    private final MalformedRequests malformed;
    private final Duration shutdownGrace;
    private volatile Server server;

    public GrpcEgressServer(String host, int port, TlsFiles tls, String tlsPrefix, String portSetting,
                            GrpcEgressService service, MalformedRequests malformed, Duration shutdownGrace) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.tls = Objects.requireNonNull(tls, "tls");
        this.tlsPrefix = tlsPrefix;
        this.portSetting = portSetting;
        this.service = Objects.requireNonNull(service, "service");
        this.malformed = Objects.requireNonNull(malformed, "malformed");
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    @Override
    public void start() {
        try {
            server = BindRetry.start(() -> malformed.watch(GrpcTransport.server(host, port, tls, tlsPrefix))
                    .addService(ServerInterceptors.intercept(malformed.guard(service), new AcceptedHeaders())).build(),
                    BindRetry.DEFAULT_PATIENCE);
        } catch (IOException e) {
            throw new InvalidSettingException(portSetting, "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        log.info("traffic controller gRPC egress listening on {}:{} with mutual TLS", host, server.getPort());
    }

    @Override
    public void stop() {
        Server current = server;
        if (current != null) {
            server = null;
            current.shutdown();
            GrpcTransport.shutdown(current, shutdownGrace.toMillis());
        }
    }

    /** Stops on its own thread, so that the web server's graceful shutdown runs at the same time. */
    @Override
    public void stop(Runnable callback) {
        Server current = server;
        if (current == null) {
            callback.run();
            return;
        }
        server = null;
        current.shutdown();
        Thread stopping = new Thread(() -> {
            try {
                GrpcTransport.shutdown(current, shutdownGrace.toMillis());
            } finally {
                callback.run();
            }
        }, "grpc-egress-stop");
        stopping.start();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The web server's graceful-shutdown phase: both stop together, within the same grace. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE;
    }

    /** The port listened on (the chosen one when configured as 0). */
    public int port() {
        Server current = server;
        return current == null ? -1 : current.getPort();
    }
}
