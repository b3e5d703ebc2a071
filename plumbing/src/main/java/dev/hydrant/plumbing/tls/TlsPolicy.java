package dev.hydrant.plumbing.tls;

import java.util.List;

/**
 * The one TLS policy of every Hydrant TLS listener (the gRPC servers and the Traffic Controller's
 * public listener) and of the components' gRPC clients: TLS 1.3 and 1.2 only; for TLS 1.2 only
 * ECDHE key exchange (forward secrecy) with an AEAD cipher (AES-GCM or ChaCha20-Poly1305); the
 * TLS 1.3 suites are all ECDHE/AEAD. No CBC suite, no static RSA key exchange. Names are the JDK's
 * standard names (Netty maps them to OpenSSL's when that engine is used).
 */
public final class TlsPolicy {

    /** Protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Cipher suites offered: the three TLS 1.3 suites, then ECDHE with AES-GCM or ChaCha20-Poly1305. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }
}
