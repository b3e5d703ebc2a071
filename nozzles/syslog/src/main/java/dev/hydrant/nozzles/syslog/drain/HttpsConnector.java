package dev.hydrant.nozzles.syslog.drain;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.NoopAddressResolverGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code https://} (one POST per message) and {@code https-batch://} (messages concatenated with no
 * separator, up to {@link #MAX_BATCH_BYTES} per POST, at least once a second). Any answer but 2xx fails the
 * messages of that POST.
 *
 * <p>Each connect resolves the host once through {@link AddressPolicy} and pins the connection to the address it
 * checked: Reactor Netty's client is given that resolved address and no resolver of its own, so a name that
 * resolves inward by the time the client connects (DNS rebinding) is never followed. SNI, the {@code Host}
 * header and the certificate's host name check stay on the URL's host. A connection is a pool of at most one
 * HTTP/1.1 connection on Reactor Netty's shared event loops; the writer's own thread waits for each answer.
 */
final class HttpsConnector implements DrainConnector {

    /** The most one batch POST carries (docs/wire.md section 7). */
    static final int MAX_BATCH_BYTES = 512 * 1024;
    private static final long SINGLE_WAIT_MILLIS = 100;
    private static final long BATCH_WAIT_MILLIS = 1_000;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final String host;
    private final int port;
    private final String pathAndQuery;
    private final String hostHeader;
    private final boolean batch;
    private final SslContext tls;
    private final AddressPolicy addresses;
    private final Duration timeout;
    private final String authorization;

    /** @param target the drain URL with the scheme https (for https-batch too), credentials included */
    HttpsConnector(URI target, boolean batch, SSLContext tls, AddressPolicy addresses, Duration timeout) {
        String userInfo = target.getUserInfo();
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.host = target.getHost().startsWith("[") ? target.getHost().substring(1, target.getHost().length() - 1)
                : target.getHost();
        this.port = target.getPort() < 0 ? 443 : target.getPort();
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        this.pathAndQuery = target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
        this.hostHeader = target.getPort() < 0 ? target.getHost() : target.getHost() + ":" + target.getPort();
        this.batch = batch;
        this.tls = new JdkSslContext(tls, true, ClientAuth.NONE);
        this.addresses = addresses;
        this.timeout = timeout;
    }

    @Override
    public long batchWaitMillis() {
        return batch ? BATCH_WAIT_MILLIS : SINGLE_WAIT_MILLIS;
    }

    @Override
    public DrainConnection connect() throws IOException {
        // the checked address, carrying the URL's host as its name: Netty connects to the address without
        // resolving anything, and takes the name for SNI and the certificate check
        InetAddress checked = addresses.resolve(host);
        InetSocketAddress pinned = new InetSocketAddress(InetAddress.getByAddress(host, checked.getAddress()), port);
        ConnectionProvider pool = ConnectionProvider.create("drain-https", 1);
        HttpClient client = HttpClient.create(pool)
                .remoteAddress(() -> pinned)
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .responseTimeout(timeout)
                .secure(spec -> spec.sslContext(tls).handshakeTimeout(timeout).handlerConfigurator(handler -> {
                    SSLEngine engine = handler.engine();
                    SSLParameters parameters = engine.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    if (!IP_LITERAL.matcher(host).matches()) {
                        parameters.setServerNames(List.of(new SNIHostName(host)));
                    }
                    engine.setSSLParameters(parameters);
                }))
                .headers(headers -> {
                    headers.set(HttpHeaderNames.HOST, hostHeader);
                    headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                    if (authorization != null) {
                        headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
                    }
                });
        return new Connection(client, pool);
    }

    private final class Connection implements DrainConnection {

        private final HttpClient client;
        private final ConnectionProvider pool;

        Connection(HttpClient client, ConnectionProvider pool) {
            this.client = client;
            this.pool = pool;
        }

        @Override
        public void write(List<byte[]> messages) throws IOException {
            if (!batch) {
                for (byte[] message : messages) {
                    post(message);
                }
                return;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(MAX_BATCH_BYTES, 64 * 1024));
            for (byte[] message : messages) {
                if (body.size() > 0 && body.size() + message.length > MAX_BATCH_BYTES) {
                    post(body.toByteArray());
                    body.reset();
                }
                body.write(message);
            }
            if (body.size() > 0) {
                post(body.toByteArray());
            }
        }

        private void post(byte[] body) throws IOException {
            Integer status;
            try {
                status = client.post().uri(pathAndQuery)
                        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                        .responseSingle((response, content) -> content.then(Mono.fromSupplier(() -> response.status().code())))
                        .block(timeout.plus(timeout));
            } catch (RuntimeException e) {
                Throwable cause = Exceptions.unwrap(e);
                throw new IOException("the POST failed: " + cause, cause);
            }
            if (status == null || status / 100 != 2) {
                throw new IOException("the drain answered HTTP " + status);
            }
        }

        @Override
        public void close() {
            pool.dispose();
        }
    }
}
