package dev.hydrant.plumbing.grpc;

import dev.hydrant.plumbing.tls.MutualTls;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How Hydrant's components open gRPC servers and channels: always mutual TLS, a 10 MiB
 * message limit (docs/wire.md section 8), and keep-alives so that a dead peer is noticed.
 */
public final class GrpcTransport {

    /** Largest gRPC message accepted, in bytes. */
    public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

    private GrpcTransport() {
    }

    /**
     * A server builder bound to {@code host:port} that requires client certificates.
     *
     * @param settingsPrefix the TLS settings prefix, named in errors about the files
     */
    public static NettyServerBuilder server(String host, int port, TlsFiles tls, String settingsPrefix) {
        Objects.requireNonNull(host, "host");
        return NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .sslContext(MutualTls.server(tls, settingsPrefix))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
    }

    /**
     * A channel builder to {@code target} (host:port, or any gRPC target such as
     * {@code dns:///name:port}) that presents a client certificate and checks that the server's
     * certificate is valid for {@code serverName}.
     */
    public static NettyChannelBuilder channel(String target, String serverName, TlsFiles tls, String settingsPrefix) {
        return secured(NettyChannelBuilder.forTarget(Objects.requireNonNull(target, "target")), serverName, tls,
                settingsPrefix);
    }

    /**
     * A channel builder to one resolved {@code address} (no name resolution of its own: whoever
     * resolved it decides when to resolve again), otherwise as {@link #channel(String, String, TlsFiles, String)}.
     */
    public static NettyChannelBuilder channel(InetSocketAddress address, String serverName, TlsFiles tls,
                                              String settingsPrefix) {
        return secured(NettyChannelBuilder.forAddress(Objects.requireNonNull(address, "address")), serverName, tls,
                settingsPrefix);
    }

    private static NettyChannelBuilder secured(NettyChannelBuilder builder, String serverName, TlsFiles tls,
                                               String settingsPrefix) {
        return builder
                .sslContext(MutualTls.client(tls, settingsPrefix))
                .overrideAuthority(Objects.requireNonNull(serverName, "serverName"))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true);
    }

    /** Stops a server: new calls refused at once, running calls given {@code graceMillis} to end. */
    public static void shutdown(Server server, long graceMillis) {
        server.shutdown();
        try {
            if (!server.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Closes a channel, cancelling what is still running after {@code graceMillis}. */
    public static void shutdown(ManagedChannel channel, long graceMillis) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
