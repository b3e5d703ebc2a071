package dev.hydrant.nozzle.client;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Tells a TLS port from a server going down when an {@code http://} request is closed before any answer (what
 * a TLS server does with plain HTTP): it tries a TLS handshake with the same address and sends nothing else.
 * The handshake accepts any certificate, since it only asks whether the port speaks TLS.
 */
final class TlsProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private TlsProbe() {
    }

    /** Whether {@code address}'s host and port complete a TLS handshake; false on any failure. */
    static Mono<Boolean> speaksTls(URI address) {
        int port = address.getPort() > 0 ? address.getPort() : 80;
        return Mono.fromCallable(() -> handshake(address.getHost(), port))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(TIMEOUT.plusSeconds(1), Mono.just(false))
                .onErrorReturn(false);
    }

    private static boolean handshake(String host, int port) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            plain.setSoTimeout((int) TIMEOUT.toMillis());
            try (SSLSocket tls = (SSLSocket) anyCertificate().getSocketFactory().createSocket(plain, host, port, false)) {
                tls.startHandshake();
                return true;
            }
        } catch (java.io.IOException notTls) {
            return false;
        }
    }

    private static SSLContext anyCertificate() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // a probe: whether the port speaks TLS, not whom to trust; nothing is sent over it
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
