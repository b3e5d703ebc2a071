package dev.hydrant.nozzle.client;

import dev.hydrant.plumbing.tls.TlsFiles;
import java.util.Objects;

/**
 * Where and how the gRPC transport reaches {@code loggregator.v2.Egress}: mutual TLS always.
 *
 * @param target     host:port of the Traffic Controller's gRPC egress (default port 8089), or any gRPC target
 * @param serverName the name the server's certificate must be valid for (Loggregator's is {@code reverselogproxy})
 * @param tls        this client's certificate and key, and the CA that signs the server
 */
public record GrpcSettings(String target, String serverName, TlsFiles tls) {

    public static final String DEFAULT_SERVER_NAME = "reverselogproxy";
    /** Settings prefix named in TLS file errors. */
    public static final String TLS_PREFIX = "hydrant.nozzle.grpc";

    public GrpcSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(tls, "tls");
    }
}
