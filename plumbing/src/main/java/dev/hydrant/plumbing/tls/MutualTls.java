package dev.hydrant.plumbing.tls;

import dev.hydrant.plumbing.config.InvalidSettingException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The TLS policy between Hydrant's components: TLS 1.2 and 1.3 only, ECDHE key exchange with
 * AES-GCM, and a client certificate from the shared CA always required.
 */
public final class MutualTls {

    /** Protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Cipher suites offered: the TLS 1.3 AES-GCM suites and ECDHE with AES-GCM for TLS 1.2. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

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
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
    }
}
