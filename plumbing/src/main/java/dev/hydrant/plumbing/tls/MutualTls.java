package dev.hydrant.plumbing.tls;

import dev.hydrant.plumbing.config.InvalidSettingException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS between Hydrant's components: {@link TlsPolicy}'s protocols and suites, and a client
 * certificate from the shared CA always required.
 */
public final class MutualTls {

    private MutualTls() {
    }

    /** A server context that demands a client certificate signed by {@code files.caFile()}. */
    public static SslContext server(TlsFiles files, String settingsPrefix) {
        files.validate(settingsPrefix);
        try {
            SslContextBuilder builder = GrpcSslContexts.forServer(files.certFile().toFile(), files.keyFile().toFile())
                    .trustManager(files.caFile().toFile())
                    .clientAuth(ClientAuth.REQUIRE);
            return restrict(builder).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidSettingException(settingsPrefix, "cannot build a TLS server context: " + e.getMessage(), e);
        }
    }

    /** A client context that presents its certificate and trusts only servers from {@code files.caFile()}. */
    public static SslContext client(TlsFiles files, String settingsPrefix) {
        files.validate(settingsPrefix);
        try {
            SslContextBuilder builder = GrpcSslContexts.forClient()
                    .keyManager(files.certFile().toFile(), files.keyFile().toFile())
                    .trustManager(files.caFile().toFile());
            return restrict(builder).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidSettingException(settingsPrefix, "cannot build a TLS client context: " + e.getMessage(), e);
        }
    }

    private static SslContextBuilder restrict(SslContextBuilder builder) {
        return builder
                .protocols(TlsPolicy.PROTOCOLS)
                .ciphers(TlsPolicy.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
    }
}
