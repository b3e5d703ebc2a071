package dev.hydrant.nozzles.syslog.drain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * {@code https://} (one POST per message) and {@code https-batch://} (messages concatenated with no
 * separator, up to {@link #MAX_BATCH_BYTES} per POST, at least once a second). The drain's own JDK
 * {@link HttpClient} holds its connection; any answer but 2xx fails the messages of that POST.
 */
final class HttpsConnector implements DrainConnector {

    /** The most one batch POST carries (docs/wire.md section 7). */
    static final int MAX_BATCH_BYTES = 512 * 1024;
    private static final long SINGLE_WAIT_MILLIS = 100;
    private static final long BATCH_WAIT_MILLIS = 1_000;

    private final URI target;
    private final String host;
    private final boolean batch;
    private final AddressPolicy addresses;
    private final HttpClient client;
    private final Duration timeout;
    private final String authorization;

    /** @param target the drain URL with the scheme https (for https-batch too) */
    HttpsConnector(URI target, boolean batch, SSLContext tls, AddressPolicy addresses, Duration timeout) {
        String userInfo = target.getUserInfo();
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.target = withoutUserInfo(target);
        this.host = target.getHost();
        this.batch = batch;
        this.addresses = addresses;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public long batchWaitMillis() {
        return batch ? BATCH_WAIT_MILLIS : SINGLE_WAIT_MILLIS;
    }

    @Override
    public DrainConnection connect() throws IOException {
        addresses.resolve(host);
        return new DrainConnection() {
            @Override
            public void write(List<byte[]> messages) throws IOException {
                // the client may open a new connection for any request: check where the name points now
                addresses.resolve(host);
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

            @Override
            public void close() {
                // the client keeps its pooled connection; it goes with the connector
            }
        };
    }

    /** Credentials in the URL are sent as basic authentication, not in the request line. */
    private static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the drain URL cannot be rebuilt without its credentials", e);
        }
    }

    private void post(byte[] body) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("the drain answered HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
