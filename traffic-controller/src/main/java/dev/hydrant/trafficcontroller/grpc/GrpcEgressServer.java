package dev.hydrant.trafficcontroller.grpc;

import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.grpc.BindRetry;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import java.io.IOException;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * The mutual-TLS gRPC server of the v2 egress; started and stopped with the application. A port
 * still held by a listener that is going away (a restart on the same port) is tried again for
 * {@link BindRetry#DEFAULT_PATIENCE} before start-up fails.
 */
public final class GrpcEgressServer implements SmartLifecycle {

    private final String host;
    private final int port;
    private final TlsFiles tls;
    private final String tlsPrefix;
    private final String portSetting;
    private final GrpcEgressService service;
    private final MalformedRequests malformed;
    private volatile Server server;

    public GrpcEgressServer(String host, int port, TlsFiles tls, String tlsPrefix, String portSetting,
                            GrpcEgressService service, MalformedRequests malformed) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.tls = Objects.requireNonNull(tls, "tls");
        this.tlsPrefix = tlsPrefix;
        this.portSetting = portSetting;
        this.service = Objects.requireNonNull(service, "service");
        this.malformed = Objects.requireNonNull(malformed, "malformed");
    }

    @Override
    public void start() {
        try {
            server = BindRetry.start(() -> GrpcTransport.server(host, port, tls, tlsPrefix)
                    .addService(malformed.guard(service)).build(), BindRetry.DEFAULT_PATIENCE);
        } catch (IOException e) {
            throw new InvalidSettingException(portSetting, "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        Server current = server;
        if (current != null) {
            GrpcTransport.shutdown(current, 2000);
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The port listened on (the chosen one when configured as 0). */
    public int port() {
        Server current = server;
        return current == null ? -1 : current.getPort();
    }
}
