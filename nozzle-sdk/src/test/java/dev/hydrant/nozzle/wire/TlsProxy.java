package dev.hydrant.nozzle.wire;

import dev.hydrant.plumbing.tls.TlsFiles;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * A TLS front for a plain test server (as a load balancer terminating TLS would be): accepts TLS with the
 * given certificate, optionally asking for a client certificate signed by its CA, and passes the bytes both
 * ways to {@code 127.0.0.1:backendPort}. HTTP, SSE and websockets pass unchanged.
 */
public final class TlsProxy implements AutoCloseable {

    private final AtomicInteger connections = new AtomicInteger();
    private final DisposableServer server;

    public TlsProxy(TlsFiles serverTls, boolean requireClientCertificate, int backendPort) throws SSLException {
        SslContext context = SslContextBuilder.forServer(serverTls.certFile().toFile(), serverTls.keyFile().toFile())
                .trustManager(serverTls.caFile().toFile())
                .clientAuth(requireClientCertificate ? ClientAuth.REQUIRE : ClientAuth.NONE)
                .build();
        server = TcpServer.create().host("127.0.0.1").port(0)
                .doOnChannelInit((observer, channel, remote) -> connections.incrementAndGet())
                .secure(spec -> spec.sslContext(context))
                .handle((in, out) -> TcpClient.create().host("127.0.0.1").port(backendPort).connect()
                        .flatMap(backend -> Mono.firstWithSignal(
                                        backend.outbound().send(in.receive().retain()).then(),
                                        out.send(backend.inbound().receive().retain()).then())
                                .onErrorResume(e -> Mono.empty())
                                .doFinally(signal -> backend.dispose())))
                .bindNow();
    }

    public int port() {
        return server.port();
    }

    /** TCP connections accepted, whether or not their TLS handshake succeeded. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
